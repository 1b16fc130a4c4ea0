// Texts of the feedback parts of "Mina rapporter", Swedish first.
import { lang } from '../i18n';

const sv = {
  reason: 'Anledning: {0}',
  duplicateOf: 'Samma händelse som rapport #{0}',
  problem: 'Ingår i problemet: {0} ({1})',
  action: 'Insats: {0} – {1} ({2})',
  result: 'Resultat: {0}',
  messages: 'Meddelanden från samordnaren',
  noMessages: 'Inga meddelanden ännu.',
  feedbackTitle: 'Vad hände sedan?',
};
type K = keyof typeof sv;
const en: Record<K, string> = {
  reason: 'Reason: {0}',
  duplicateOf: 'Same event as report #{0}',
  problem: 'Part of the problem: {0} ({1})',
  action: 'Action: {0} – {1} ({2})',
  result: 'Result: {0}',
  messages: 'Messages from the coordinator',
  noMessages: 'No messages yet.',
  feedbackTitle: 'What happened next?',
};

export function tf(key: K, ...args: (string | number)[]): string {
  const s = (lang.value === 'en' ? en : sv)[key];
  return s.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}
