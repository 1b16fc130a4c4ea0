import { describe, expect, it } from 'vitest';
import type { Area, User } from '../src/api';
import type { Action, Evaluation } from '../src/work-api';
import {
  actionApiQuery,
  actionBody,
  actionFilterQuery,
  actionRights,
  actionToDraft,
  areaChoices,
  canCreateAction,
  canEditAction,
  changeText,
  controlChoices,
  controlsBody,
  countRows,
  emptyActionDraft,
  evaluationBlocker,
  fieldOf,
  interval,
  isOverdue,
  isSignificant,
  leadBody,
  num,
  pText,
  parseActionFilters,
  parseAmount,
  signed,
  validateAction,
  withoutErrors,
} from '../src/pages/actions-logic';

const action: Action = {
  id: 1,
  title: 'Belysning och klotterskydd i gångtunnlarna vid Sollentuna station',
  description: 'LED-armaturer',
  prevention: 'situational',
  horizon: 'long_term',
  owner: { code: 'tfn', name: 'Trafik- och fastighetsnämnden' },
  partners: [{ code: 'seom', name: 'SEOM' }],
  areas: [{ code: 'tureberg', name: 'Tureberg' }],
  places: [{ id: 2, name: 'Sollentuna station' }],
  problems: [2],
  meeting: 1,
  decision: 1,
  start: '2026-04-07',
  end: '2026-05-23',
  follow_up: '2026-09-20',
  overdue: false,
  status: 'done',
  cost: 420000,
  indicator: 'Rapporter per vecka',
  baseline: 3.62,
  result: 'Klart',
  version: 3,
  controls: [{ code: 'viby', name: 'Viby' }],
  indicator_categories: [{ code: 'klotter', name: 'Klotter' }],
};

const user = (role: User['role'], org: string | null = null): User => ({ id: 1, login: 'x', display_name: 'x', role, org });

describe('action form', () => {
  it('reads an action into a draft and back into the same body', () => {
    const d = actionToDraft(action);
    expect(d.places).toEqual(['2']);
    expect(d.problems).toEqual(['2']);
    expect(d.cost).toBe('420000');
    expect(d.indicator_categories).toEqual(['klotter']);
    const body = actionBody(d, 3);
    expect(body).toEqual({
      version: 3,
      title: action.title,
      description: 'LED-armaturer',
      prevention: 'situational',
      horizon: 'long_term',
      owner: 'tfn',
      partners: ['seom'],
      areas: ['tureberg'],
      places: ['2'],
      problems: [2],
      start: '2026-04-07',
      end: '2026-05-23',
      follow_up: '2026-09-20',
      status: 'done',
      cost: 420000,
      indicator: 'Rapporter per vecka',
      indicator_categories: ['klotter'],
      result: 'Klart',
    });
    // the comparison areas are saved by the evaluation panel alone
    expect('controls' in body).toBe(false);
  });

  it('leaves out version on create, the cost when empty, and the owner among the partners', () => {
    const body = actionBody(emptyActionDraft({ title: '  Extra rundor  ', owner: 'bun', partners: ['bun', 'kfn'], problems: ['4', 'x'] }));
    expect(body.version).toBeUndefined();
    expect(body.cost).toBeUndefined();
    expect(body.title).toBe('Extra rundor');
    expect(body.partners).toEqual(['kfn']);
    expect(body.problems).toEqual([4]);
    expect(body.status).toBe('planned');
  });

  it('checks title, owner, dates and cost before sending', () => {
    expect(validateAction(emptyActionDraft())).toEqual({ title: 'required', owner: 'ownerRequired' });
    expect(validateAction(emptyActionDraft({ title: 'a', owner: 'bun', start: '2026-05-01', end: '2026-04-01', cost: '-5' }))).toEqual({
      end: 'endBeforeStart',
      cost: 'badCost',
    });
    expect(validateAction(emptyActionDraft({ title: 'a', owner: 'bun', cost: '150 000' }))).toEqual({});
  });

  it.each([
    ['', null],
    ['150 000', 150000],
    ['150000', 150000],
    ['1 234,50', 1234.5],
    ['1,234.50', 1234.5],
    ['1.234,50', 1234.5],
    ['12,5', 12.5],
    ['5 000 kr', 5000],
    ['\u00a0420\u00a0000 ', 420000],
  ])('parseAmount(%j) = %s', (text, n) => {
    expect(parseAmount(text)).toBe(n);
  });

  it.each(['abc', '-5', '1e5', '12,5,3'])('parseAmount(%j) is not a number', (text) => {
    expect(parseAmount(text)).toBeNaN();
  });

  it('maps list field errors to their field', () => {
    expect(fieldOf('problems[0]')).toBe('problems');
    expect(fieldOf('owner')).toBe('owner');
  });

  it('sends the comparison areas on their own with the version', () => {
    expect(controlsBody(4, ['viby', 'edsberg'])).toEqual({ version: 4, controls: ['viby', 'edsberg'] });
    expect(controlsBody(5, [])).toEqual({ version: 5, controls: [] });
  });
});

describe('filters and rights', () => {
  it('reads and writes the filters in the address', () => {
    expect(parseActionFilters('status=overdue&owner=bun')).toEqual({ status: 'overdue', owner: 'bun' });
    expect(parseActionFilters('status=bogus')).toEqual({ status: '', owner: '' });
    expect(actionFilterQuery({ status: 'overdue', owner: '' })).toBe('status=overdue');
    expect(actionFilterQuery({ status: '', owner: '' })).toBe('');
    expect(actionApiQuery({ status: '', owner: 'sn' })).toEqual({ owner: 'sn' });
    expect(actionApiQuery({ status: 'open', owner: '' })).toEqual({ status: 'open' });
  });

  it('lets coordinators, admins and the owner organisation’s lead edit', () => {
    expect(canEditAction(user('coordinator'), action)).toBe(true);
    expect(canEditAction(user('admin'), action)).toBe(true);
    expect(canEditAction(user('org_lead', 'tfn'), action)).toBe(true);
    expect(canEditAction(user('org_lead', 'bun'), action)).toBe(false);
    expect(canEditAction(user('viewer'), action)).toBe(false);
    expect(canEditAction(user('reporter', 'tfn'), action)).toBe(false);
    expect(canEditAction(null, action)).toBe(false);
    expect(canCreateAction(user('org_lead', 'tfn'))).toBe(false);
    expect(canCreateAction(user('coordinator'))).toBe(true);
  });

  it('gives the owner organisation’s lead status and result only, and sends nothing else', () => {
    expect(actionRights(user('coordinator'), action)).toBe('all');
    expect(actionRights(user('admin'), action)).toBe('all');
    expect(actionRights(user('org_lead', 'tfn'), action)).toBe('status_result');
    expect(actionRights(user('org_lead', 'bun'), action)).toBe('none');
    expect(actionRights(user('reporter', 'tfn'), action)).toBe('none');
    expect(leadBody({ status: 'done', result: '  Klart.  ' }, 4)).toEqual({ version: 4, status: 'done', result: 'Klart.' });
  });

  it('marks open actions past their follow-up as overdue', () => {
    expect(isOverdue({ status: 'ongoing', follow_up: '2026-07-22' }, '2026-11-25')).toBe(true);
    expect(isOverdue({ status: 'planned', follow_up: '2026-11-25' }, '2026-11-25')).toBe(false);
    expect(isOverdue({ status: 'done', follow_up: '2026-07-22' }, '2026-11-25')).toBe(false);
    expect(isOverdue({ status: 'ongoing', follow_up: '' }, '2026-11-25')).toBe(false);
  });
});

const areas: Area[] = [
  { code: '0163', name: 'Sollentuna kommun', parent: null, level: 0, population: null },
  { code: 'tureberg', name: 'Tureberg', parent: '0163', level: 1, population: null },
  { code: 'viby', name: 'Viby', parent: '0163', level: 1, population: null },
  { code: '531330', name: 'Tureberg', parent: 'tureberg', level: 2, population: null },
];

describe('areas to choose', () => {
  it('leaves out the municipality and names repeated names by code', () => {
    expect(areaChoices(areas)).toEqual([
      { code: 'tureberg', name: 'Tureberg' },
      { code: 'viby', name: 'Viby' },
      { code: '531330', name: 'Tureberg (531330)' },
    ]);
  });
  it('never offers the action’s own areas, or areas inside them, as comparison', () => {
    expect(controlChoices(areas, ['tureberg']).map((a) => a.code)).toEqual(['viby']);
  });
});

describe('evaluation numbers', () => {
  it('writes numbers the Swedish and the English way with a real minus sign', () => {
    expect(num(-59.15855, 1, 'sv')).toBe('−59,2');
    expect(num(-59.15855, 1, 'en')).toBe('−59.2');
    expect(num(150000, 0, 'sv')).toBe('150\u00a0000');
    expect(num(150000, 0, 'en')).toBe('150,000');
    expect(num(-0.001, 1, 'sv')).toBe('0,0');
    expect(num(null, 1, 'sv')).toBe('–');
    expect(num(Number.NaN, 1, 'sv')).toBe('–');
    expect(signed(28, 0, 'sv')).toBe('+28');
    expect(signed(-4, 0, 'sv')).toBe('−4');
    expect(signed(0, 0, 'sv')).toBe('0');
  });

  it('writes the interval, z and p', () => {
    expect(interval(-59.158, -4.841, 'sv')).toBe('−59,2 till −4,8');
    expect(interval(-26.1, 26.1, 'en')).toBe('−26.1 to 26.1');
    expect(pText(0.020921, 'sv')).toBe('0,021');
    expect(pText(0.0000001, 'sv')).toBe('< 0,001');
    expect(pText(0.5, 'en')).toBe('0.500');
  });

  it('is significant only when the 95 % interval leaves out zero', () => {
    expect(isSignificant({ ci_low: -59.2, ci_high: -4.8 })).toBe(true);
    expect(isSignificant({ ci_low: 2, ci_high: 9 })).toBe(true);
    expect(isSignificant({ ci_low: -26.1, ci_high: 26.1 })).toBe(false);
  });

  it('shows a change with a percent only when there was something before', () => {
    expect(changeText(22, 18, 'sv')).toBe('−4 (−18 %)');
    expect(changeText(62, 90, 'en')).toBe('+28 (+45 %)');
    expect(changeText(0, 3, 'sv')).toBe('+3');
  });

  it('builds the before/after table of the demo’s finished action', () => {
    const e: Evaluation = {
      before: { from: '2026-02-19', to: '2026-04-06', days: 47, label: '' },
      after: { from: '2026-04-07', to: '2026-05-23', days: 47, label: '' },
      treated: [{ code: 'tureberg', name: 'Tureberg' }],
      controls: [
        { code: 'rotebro', name: 'Rotebro' },
        { code: 'viby', name: 'Viby' },
      ],
      controls_proposed: true,
      buffer: [],
      counts: { treated_before: 22, treated_after: 18, control_before: 62, control_after: 90, buffer_before: 24, buffer_after: 33 },
      wdd: { estimate: -32, variance: 192, se: 13.86, ci_low: -59.16, ci_high: -4.84, z: -2.31, p: 0.021 },
      wdq: null,
      preliminary: false,
      verdict: '',
      caveats: [],
    };
    expect(countRows(e, 'sv')).toEqual([
      { key: 'treated', areas: 'Tureberg', before: 22, after: 18, change: '−4 (−18 %)', diff: '−4', pct: '−18 %' },
      { key: 'controls', areas: 'Rotebro, Viby', before: 62, after: 90, change: '+28 (+45 %)', diff: '+28', pct: '+45 %' },
      { key: 'buffer', areas: '–', before: 24, after: 33, change: '+9 (+38 %)', diff: '+9', pct: '+38 %' },
    ]);
  });

  it('names what blocks an evaluation', () => {
    expect(evaluationBlocker({ areas: 'insatsen har inga områden att utvärdera' })).toBe('areas');
    expect(evaluationBlocker({ start: 'saknas', areas: 'x' })).toBe('start');
    expect(evaluationBlocker({ controls: 'inga' })).toBe('controls');
    expect(evaluationBlocker({})).toBeNull();
  });
});

describe('withoutErrors', () => {
  it('drops the errors of changed fields, and the summary with the last one', () => {
    const e = { '': 'Rätta de markerade fälten', owner: 'Välj', title: 'Måste fyllas i' };
    expect(withoutErrors(e, ['owner'])).toEqual({ '': 'Rätta de markerade fälten', title: 'Måste fyllas i' });
    expect(withoutErrors({ '': 'x', owner: 'Välj' }, ['owner'])).toEqual({});
    // a conflict message stays until the next save
    const c = { '': 'Någon annan har ändrat' };
    expect(withoutErrors(c, ['title'])).toBe(c);
  });
});
