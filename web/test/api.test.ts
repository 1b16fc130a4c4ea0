import { describe, expect, it, vi } from 'vitest';
import { Api, ApiError, NetworkError, queryString } from '../src/api';

function json(status: number, body: unknown, type = 'application/json') {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

describe('Api', () => {
  it('logs in, keeps the CSRF token and sends it on POST and PATCH but not GET', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetchFn = vi.fn(async (url: string, init?: RequestInit) => {
      calls.push({ url, init: init ?? {} });
      if (url.endsWith('/auth/login')) return json(200, { user: { login: 'a', role: 'coordinator' }, csrf_token: 'tok' });
      return json(200, { items: [] });
    });
    const api = new Api(fetchFn);
    const u = await api.login('a', 'b');
    expect(u.role).toBe('coordinator');
    expect(api.csrf).toBe('tok');
    await api.categories();
    await api.patchReport(7, { version: 2, status: 'reviewed' });
    const login = calls[0];
    expect(login.init.method).toBe('POST');
    expect(JSON.parse(String(login.init.body))).toEqual({ login: 'a', password: 'b' });
    expect(login.init.credentials).toBe('same-origin');
    const get = calls[1].init.headers as Record<string, string>;
    expect(get['X-CSRF-Token']).toBeUndefined();
    const patch = calls[2];
    expect(patch.url).toBe('/api/v1/reports/7');
    expect(patch.init.method).toBe('PATCH');
    expect((patch.init.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok');
    expect((patch.init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('turns problem+json into ApiError with per-field reasons', async () => {
    const problem = {
      type: 'urn:est:error:invalid-input',
      title: 'Ogiltig indata',
      status: 400,
      detail: 'Rapporten är ogiltig',
      errors: [
        { field: 'severity', reason: 'måste vara 1, 2 eller 3' },
        { field: 'location.lon', reason: 'saknas' },
      ],
    };
    const api = new Api(async () => json(400, problem, 'application/problem+json'));
    const err = await api.createReport({ occurred_from: 'x', location: {}, category: 'klotter' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.message).toBe('Rapporten är ogiltig');
    expect(err.fields).toEqual({ severity: 'måste vara 1, 2 eller 3', 'location.lon': 'saknas' });
  });

  it('copes with a non-JSON error body', async () => {
    const api = new Api(async () => new Response('boom', { status: 502, statusText: 'Bad Gateway' }));
    const err = (await api.get('/health').catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(502);
    expect(err.fields).toEqual({});
  });

  it('reports a failed connection as NetworkError', async () => {
    const api = new Api(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(api.get('/health')).rejects.toBeInstanceOf(NetworkError);
  });

  it('calls onUnauthorized on 401 except for login and me', async () => {
    const api = new Api(async () => json(401, { status: 401, title: 'Ej inloggad' }, 'application/problem+json'));
    const spy = vi.fn();
    api.onUnauthorized = spy;
    await api.me().catch(() => undefined);
    expect(spy).not.toHaveBeenCalled();
    await api.reports({}).catch(() => undefined);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('handles 204 and builds query strings without empty values', async () => {
    const api = new Api(async () => new Response(null, { status: 204 }));
    api.csrf = 't';
    await expect(api.logout()).resolves.toBeUndefined();
    expect(api.csrf).toBeNull();
    expect(queryString({ period: '2026-W48', area: '', org: undefined, limit: 10, dimension: 'säkerhet' })).toBe(
      '?period=2026-W48&limit=10&dimension=s%C3%A4kerhet',
    );
    expect(queryString({})).toBe('');
  });
});
