import { describe, expect, it } from 'vitest';
import type { Action, ProblemItem } from '../src/work-api';
import {
  actionsForProblem,
  emptyProblemDraft,
  mapLimit,
  parseProblemFilter,
  parseReportIds,
  problemBody,
  problemToDraft,
  validateProblem,
} from '../src/pages/problems-logic';

const problem: ProblemItem = {
  id: 2,
  title: 'Klotter i gångtunnlarna vid Sollentuna station nattetid',
  description: 'Återkommande klotter',
  status: 'open',
  areas: [{ code: 'tureberg', name: 'Tureberg' }],
  places: [{ id: 2, name: 'Sollentuna station' }],
  categories: [{ code: 'klotter', name: 'Klotter' }],
  reports: [10543, 10507],
  version: 1,
};

describe('problem form', () => {
  it('reads a problem into a draft and back', () => {
    const d = problemToDraft(problem);
    expect(d.reports).toBe('10543, 10507');
    expect(problemBody(d, 1)).toEqual({
      version: 1,
      title: problem.title,
      description: 'Återkommande klotter',
      status: 'open',
      areas: ['tureberg'],
      places: ['2'],
      categories: ['klotter'],
      reports: [10543, 10507],
    });
  });

  it('sends no version on create', () => {
    expect(problemBody({ ...emptyProblemDraft(), title: ' Samlingar vid torget 21–24 fre–lör ' })).toEqual({
      title: 'Samlingar vid torget 21–24 fre–lör',
      description: '',
      status: 'open',
      areas: [],
      places: [],
      categories: [],
      reports: [],
    });
  });

  it('reads report numbers separated by commas, spaces, semicolons or newlines', () => {
    expect(parseReportIds('10574, 10527 9762;#9583\n10574')).toEqual({ ids: [10574, 10527, 9762, 9583], bad: [] });
    expect(parseReportIds('  ')).toEqual({ ids: [], bad: [] });
    expect(parseReportIds('12, abc, 0, -3, 4.5')).toEqual({ ids: [12], bad: ['abc', '0', '-3', '4.5'] });
  });

  it('needs a title and readable report numbers', () => {
    expect(validateProblem(emptyProblemDraft())).toEqual({ title: 'required' });
    expect(validateProblem({ ...emptyProblemDraft(), title: 'x', reports: '1, två' })).toEqual({ reports: 'badIds:två' });
  });

  it('reads the status filter', () => {
    expect(parseProblemFilter('status=monitored')).toBe('monitored');
    expect(parseProblemFilter('status=nope')).toBe('');
    expect(parseProblemFilter('')).toBe('');
  });
});

const a = (id: number, status: Action['status'], problems: number[], overdue = false) => ({ id, status, problems, overdue }) as Action;

describe('actions that answer a problem', () => {
  it('keeps those naming the problem, overdue first, then ongoing, planned, done', () => {
    const list = [a(1, 'done', [2]), a(2, 'ongoing', [1]), a(3, 'planned', [2, 1]), a(4, 'ongoing', [2]), a(5, 'ongoing', [2], true)];
    expect(actionsForProblem(list, 2).map((x) => x.id)).toEqual([5, 4, 3, 1]);
    expect(actionsForProblem(list, 9)).toEqual([]);
  });
});

describe('mapLimit', () => {
  it('keeps the order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
  it('handles an empty list', async () => {
    expect(await mapLimit([], 4, async (x: number) => x)).toEqual([]);
  });
});
