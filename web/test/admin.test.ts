import { describe, expect, it, vi } from 'vitest';
import { Api, ApiError, NetworkError, type Area } from '../src/api';
import {
  areaImportErrors,
  areaImportQuery,
  areaTree,
  describeFeatureError,
  errorsFrom,
  firstError,
  mapFieldErrors,
  orgKindLabel,
  parseDecimal,
  parseFeatureField,
  roleLabel,
  suggestCode,
  validateCategory,
  validateOrg,
  validatePlace,
  validateUser,
} from '../src/pages/admin/forms';

describe('suggestCode', () => {
  it.each([
    ['Brandkåren Attunda', '-', 'brandkaren-attunda'],
    ['  Sollentuna Energi & Miljö AB ', '-', 'sollentuna-energi-miljo-ab'],
    ['Övergivna cyklar', '_', 'overgivna_cyklar'],
    ['Café Él', '-', 'cafe-el'],
    ['---', '-', ''],
    ['a'.repeat(63) + ' b', '-', 'a'.repeat(63)], // cut at 64 without a trailing separator
  ])('%s → %s', (name, sep, code) => {
    expect(suggestCode(name, sep)).toBe(code);
  });
});

describe('parseDecimal', () => {
  it.each([
    ['17,95', 17.95],
    ['17.95', 17.95],
    [' 59,432 ', 59.432],
    ['-3,5', -3.5],
    ['−3,5', -3.5],
    ['18', 18],
    ['', null],
    ['abc', null],
    ['17,9,5', null],
    ['1e3', null],
  ])('%j → %j', (text, n) => {
    expect(parseDecimal(text)).toBe(n);
  });
});

describe('form validation (Swedish messages)', () => {
  it('organisation: code, name and kind are required; parent is optional', () => {
    expect(validateOrg({ code: '', name: ' ', kind: '', parent: '' })).toEqual({ code: 'Måste fyllas i', name: 'Måste fyllas i', kind: 'Måste fyllas i' });
    expect(validateOrg({ code: 'x', name: 'X', kind: 'polis', parent: '' })).toEqual({});
  });

  it('category: a dimension must be chosen', () => {
    const e = validateCategory({ code: 'c', name_sv: 'C', name_en: '', group: '', dimension: '', default_severity: '2', parent: '' });
    expect(e).toEqual({ dimension: 'Välj ett alternativ' });
  });

  it('user: password length and an organisation for reporters and organisation leads', () => {
    const base = { login: 'ny', display_name: '', password: 'tolv-tecken!', role: 'viewer', org: '' };
    expect(validateUser(base)).toEqual({});
    expect(validateUser({ ...base, password: 'kort' }).password).toBe('Lösenordet måste ha minst 12 tecken');
    // characters, not UTF-16 units: six emoji are twelve units but six characters
    expect(validateUser({ ...base, password: '🔒'.repeat(6) }).password).toBe('Lösenordet måste ha minst 12 tecken');
    expect(validateUser({ ...base, password: '🔒'.repeat(12) }).password).toBeUndefined();
    expect(validateUser({ ...base, role: 'reporter' }).org).toBe('Rollen Rapportör kräver en organisation');
    expect(validateUser({ ...base, role: 'org_lead', org: 'bun' }).org).toBeUndefined();
    expect(validateUser({ ...base, login: '', password: '' })).toEqual({ login: 'Måste fyllas i', password: 'Måste fyllas i' });
  });

  it('place: coordinates typed with a decimal comma are accepted, nonsense and out-of-range values are not', () => {
    const ok = validatePlace({ name: 'Torget', kind: 'torg', lon: '17,95', lat: '59,43' });
    expect(ok.errs).toEqual({});
    expect(ok.point).toEqual({ lon: 17.95, lat: 59.43 });
    const bad = validatePlace({ name: '', kind: 'torg', lon: 'öst', lat: '95' });
    expect(bad.point).toBeUndefined();
    expect(bad.errs).toEqual({ name: 'Måste fyllas i', lon: 'Skriv ett tal, t.ex. 17,95', lat: 'Latituden måste ligga mellan −90 och 90' });
    expect(validatePlace({ name: 'a', kind: 'b', lon: '', lat: '59' }).errs).toEqual({ lon: 'Måste fyllas i' });
  });

  it('firstError follows the form order', () => {
    expect(firstError({ kind: 'x', code: 'y', '': 'z' }, ['name', 'code', 'kind'])).toBe('code');
    expect(firstError({}, ['name'])).toBeUndefined();
  });
});

describe('server field errors on the form', () => {
  it('puts known fields next to their inputs and keeps the rest for the whole form', () => {
    const e = mapFieldErrors({ code: '"ks" används redan', location: 'punkten ligger utanför Sverige', color: 'okänt fält' }, ['code', 'name'], { location: 'name' });
    expect(e).toEqual({ code: '"ks" används redan', name: 'punkten ligger utanför Sverige', '': 'color: okänt fält' });
  });

  it('turns a 409 problem into a code error plus a summary', () => {
    const err = new ApiError({
      status: 409,
      title: 'Konflikt',
      detail: 'Organisationskoden finns redan',
      errors: [{ field: 'code', reason: '"ks" används redan' }],
    });
    const e = errorsFrom(err, ['name', 'code', 'kind', 'parent']);
    expect(e.code).toBe('"ks" används redan');
    expect(e['']).toBe('Organisationskoden finns redan. Rätta de markerade fälten.');
  });

  it('reports a forbidden action, a problem without fields and a lost connection as one message', () => {
    expect(errorsFrom(new ApiError({ status: 403, detail: 'Bara administratörer hanterar användare' }), ['login'])).toEqual({
      '': 'Din roll får inte göra detta: Bara administratörer hanterar användare',
    });
    expect(errorsFrom(new ApiError({ status: 500, detail: 'Internt fel' }), ['login'])).toEqual({ '': 'Internt fel' });
    expect(errorsFrom(new NetworkError(), ['login'])['']).toMatch(/Ingen kontakt med servern/);
  });
});

describe('area import errors', () => {
  it('reads the server feature labels', () => {
    expect(parseFeatureField('features[3] (id: 40, namn: Tureberg (norra)).code')).toEqual({ index: 3, ident: 'id: 40, namn: Tureberg (norra)', prop: 'code' });
    expect(parseFeatureField('features[0]')).toEqual({ index: 0, ident: undefined, prop: undefined });
    expect(parseFeatureField('features (tb-1).parent')).toEqual({ ident: 'tb-1', prop: 'parent' });
    expect(parseFeatureField('crs')).toBeNull();
  });

  it('says which feature (counted from 1) and which property is wrong, in Swedish', () => {
    expect(describeFeatureError('features[1]', 'geometritypen "Point" stöds inte')).toBe('Område 2 i filen: geometritypen "Point" stöds inte');
    expect(describeFeatureError('features[0] (id: q).code', 'får inte vara tom')).toBe('Område 1 i filen (id: q), kod: får inte vara tom');
    expect(describeFeatureError('features (x1).parent', 'okänt område "y"')).toBe('Området (x1), överordnat område: okänt område "y"');
    expect(describeFeatureError('geojson', 'ogiltig JSON vid byte 1')).toBe('ogiltig JSON vid byte 1');
  });

  it('sends crs and parent errors to their fields and the rest to the file', () => {
    const r = areaImportErrors({
      status: 400,
      detail: 'Områdesfilen avvisades; inget importerades',
      errors: [
        { field: '--parent', reason: 'okänt område "nope"' },
        { field: 'crs', reason: 'okänt koordinatsystem "foo"' },
        { field: 'features[0].code', reason: 'området "x" finns redan' },
        { field: 'parent', reason: 'cirkulär' },
      ],
    });
    expect(r.summary).toBe('Områdesfilen avvisades; inget importerades');
    expect(r.parent).toBe('okänt område "nope"');
    expect(r.crs).toBe('okänt koordinatsystem "foo"');
    expect(r.file).toEqual(['Område 1 i filen, kod: området "x" finns redan', 'parent: cirkulär']);
  });

  it('leaves empty options out of the query', () => {
    expect(areaImportQuery({ crs: 'EPSG:3006', code_prop: ' ', name_prop: 'NAMN', parent: '' })).toEqual({ crs: 'EPSG:3006', name_prop: 'NAMN' });
  });
});

describe('areaTree', () => {
  const a = (code: string, name: string, parent: string | null, level: number): Area => ({ code, name, parent, level, population: null });
  it('lists each area under its parent, by name, whatever the input order', () => {
    const rows = areaTree([a('tb1', 'Tureberg norra', 'tureberg', 2), a('viby', 'Viby', '0163', 1), a('0163', 'Sollentuna', null, 0), a('tureberg', 'Tureberg', '0163', 1), a('edsberg', 'Edsberg', '0163', 1)]);
    expect(rows.map((r) => `${r.depth}:${r.area.code}`)).toEqual(['0:0163', '1:edsberg', '1:tureberg', '2:tb1', '1:viby']);
  });
  it('keeps an area whose parent is unknown, at the top', () => {
    expect(areaTree([a('x', 'X', 'missing', 2)]).map((r) => r.depth)).toEqual([0]);
  });
});

describe('labels', () => {
  it('has a Swedish label for every organisation kind and role the server accepts', () => {
    expect(orgKindLabel('räddningstjänst')).toBe('Räddningstjänst');
    expect(orgKindLabel('fastighetsägare')).toBe('Fastighetsägare');
    expect(orgKindLabel('okänd')).toBe('okänd');
    expect(roleLabel('org_lead')).toBe('Organisationsansvarig');
  });
});

describe('Api admin methods', () => {
  it('uploads GeoJSON as it is, with its content type, the CSRF token and the options as query', async () => {
    const fetchFn = vi.fn(async (_url: string, _init?: RequestInit) =>
      new Response(JSON.stringify({ items: [{ code: 'ruta' }], reports_moved: 3 }), { status: 201, headers: { 'content-type': 'application/json' } }),
    );
    const api = new Api(fetchFn);
    api.csrf = 'tok';
    const body = '{"type":"FeatureCollection","features":[]}';
    const r = await api.importAreas(body, { crs: 'EPSG:3006', parent: 'tureberg' });
    expect(r.reports_moved).toBe(3);
    const [url, init] = fetchFn.mock.calls[0];
    expect(url).toBe('/api/v1/areas?crs=EPSG%3A3006&parent=tureberg');
    expect(init!.method).toBe('POST');
    expect(init!.body).toBe(body);
    const h = init!.headers as Record<string, string>;
    expect(h['Content-Type']).toBe('application/geo+json');
    expect(h['X-CSRF-Token']).toBe('tok');
  });

  it('turns a rejected upload into ApiError with the feature errors', async () => {
    const problem = { status: 400, detail: '1 av 2 områden i GeoJSON-filen är ogiltiga', errors: [{ field: 'features[1]', reason: 'saknar geometri' }] };
    const api = new Api(async () => new Response(JSON.stringify(problem), { status: 400, headers: { 'content-type': 'application/problem+json' } }));
    const err = await api.importAreas('{}').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.fields).toEqual({ 'features[1]': 'saknar geometri' });
  });

  it('posts the other admin forms as JSON to their collections', async () => {
    const calls: [string, RequestInit][] = [];
    const api = new Api(async (url, init) => {
      calls.push([url, init!]);
      return new Response('{}', { status: 201, headers: { 'content-type': 'application/json' } });
    });
    await api.createOrganisation({ code: 'o', name: 'O', kind: 'polis' });
    await api.createCategory({ code: 'c', name_sv: 'C', dimension: 'trygghet' });
    await api.createPlace({ name: 'P', kind: 'park', lon: 17.9, lat: 59.4 });
    await api.createUser({ login: 'u', password: 'x'.repeat(10), role: 'viewer' });
    expect(calls.map(([u, i]) => `${i.method} ${u}`)).toEqual([
      'POST /api/v1/organisations',
      'POST /api/v1/categories',
      'POST /api/v1/places',
      'POST /api/v1/users',
    ]);
    expect(JSON.parse(String(calls[2][1].body))).toEqual({ name: 'P', kind: 'park', lon: 17.9, lat: 59.4 });
  });
});
