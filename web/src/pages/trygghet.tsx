// Trygghet (#/trygghet): säkerhet and trygghet side by side per area (table, class map, survey
// import) and the 2030 goal "inga utsatta områden" (each area on the police list with reports
// per year, trend and surveys, a map of the list, and the police list import).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { ApiError, NetworkError } from '../api';
import { lang } from '../i18n';
import { BarChart } from '../components/chart';
import { areaLabels, areaLayer, createMap, destroyMap, esc, fitTo, L } from '../components/map';
import { fmtNum, fmtSigned } from '../components/util';
import { navigate } from '../router';
import { areas, areasGeoJSON, canReview, user } from '../state';
import { trygghetApi, type Goal, type GoalArea, type Safety, type SurveyItem, type VulnerableArea } from './trygghet-api';
import {
  CLASS_STYLE,
  classFill,
  classKey,
  classLabel,
  classLegend,
  defaultYear,
  goalChartSummary,
  goalSeries,
  goalSurveys,
  importErrors,
  indicatorLabel,
  parseYear,
  patternId,
  trendSentence,
  trygghetQuery,
  vulnerableKind,
  yearLabel,
  yearOptions,
  type ClassKey,
  type ClassStyle,
  type ImportErrors,
} from './trygghet-logic';
import { tt } from './trygghet-text';
import './trygghet.css';

type Part = 'sakerhet' | 'mal';
const PARTS: { id: Part; title: () => string }[] = [
  { id: 'sakerhet', title: () => tt('tabSafety') },
  { id: 'mal', title: () => tt('tabGoal') },
];

const thisYear = () => new Date().getFullYear();

function fmtDay(day: string): string {
  const d = new Date(`${day.slice(0, 10)}T12:00:00`);
  if (!day || Number.isNaN(d.getTime())) return day || '–';
  return d.toLocaleDateString(lang.value === 'en' ? 'en-GB' : 'sv-SE', { day: 'numeric', month: 'long', year: 'numeric' });
}

interface Msg {
  kind: 'ok' | 'error';
  text: string;
}

/** The text of a failed import for the message line, and its parsed errors. */
function importFailure(err: unknown, formFields: readonly string[] = []): { msg: string; errs: ImportErrors | null } {
  if (err instanceof ApiError) {
    if (err.status === 403) return { msg: tt('forbidden'), errs: null };
    const e = importErrors(err.problem, formFields);
    return { msg: tt('importRejected', e.summary.replace(/\.$/, '')), errs: e };
  }
  if (err instanceof NetworkError) return { msg: tt('networkError'), errs: null };
  return { msg: String(err), errs: null };
}

export default function TrygghetPage({ query }: { query: string }) {
  lang.value;
  const p = new URLSearchParams(query);
  const part: Part = p.get('del') === 'mal' ? 'mal' : 'sakerhet';
  const year = parseYear(p.get('year') ?? '');
  const indicator = p.get('indicator') ?? '';

  const go = (patch: { del?: Part; year?: number | null; indicator?: string }, focusTab = false) => {
    const next = { del: part, year, indicator, ...patch };
    navigate('/trygghet', trygghetQuery(next), true);
    if (focusTab && patch.del) setTimeout(() => document.getElementById(`tryg-tab-${patch.del}`)?.focus(), 0);
  };

  function onKey(e: KeyboardEvent) {
    const i = PARTS.findIndex((x) => x.id === part);
    const next =
      e.key === 'ArrowRight' || e.key === 'ArrowDown' ? (i + 1) % PARTS.length
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? (i - 1 + PARTS.length) % PARTS.length
          : e.key === 'Home' ? 0
            : e.key === 'End' ? PARTS.length - 1
              : -1;
    if (next < 0) return;
    e.preventDefault();
    go({ del: PARTS[next].id }, true);
  }

  return (
    <div class="trygghet">
      <PatternDefs />
      <h1>{tt('title')}</h1>
      <p class="lead">{tt('intro')}</p>
      <div role="tablist" aria-label={tt('tabs')} class="tabs" onKeyDown={onKey}>
        {PARTS.map((x) => (
          <button key={x.id} type="button" role="tab" id={`tryg-tab-${x.id}`} class="tab"
            aria-selected={x.id === part ? 'true' : 'false'} aria-controls={x.id === part ? `tryg-panel-${x.id}` : undefined}
            tabIndex={x.id === part ? 0 : -1} onClick={() => go({ del: x.id })}>
            {x.title()}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`tryg-panel-${part}`} aria-labelledby={`tryg-tab-${part}`} key={part}>
        {part === 'mal' ? <GoalPart /> : <SafetyPart year={year} indicator={indicator} go={go} />}
      </div>
    </div>
  );
}

// ---- patterns and swatches ----------------------------------------------------------------

const VULN_STYLE: Record<'utsatt' | 'sarskilt', ClassStyle> = {
  utsatt: { color: '#f1a340', ink: '#5c2d00', pattern: 'diag-up' },
  sarskilt: { color: '#b2182b', ink: '#ffffff', pattern: 'cross' },
};

function PatternTile({ id, s }: { id: string; s: ClassStyle }) {
  return (
    <pattern id={id} patternUnits="userSpaceOnUse" width="8" height="8">
      <rect width="8" height="8" fill={s.color} />
      {(s.pattern === 'diag-up' || s.pattern === 'cross') && <path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke={s.ink} stroke-width={s.pattern === 'cross' ? 1.2 : 1.6} />}
      {(s.pattern === 'diag-down' || s.pattern === 'cross') && <path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" stroke={s.ink} stroke-width={s.pattern === 'cross' ? 1.2 : 1.6} />}
      {s.pattern === 'dots' && <circle cx="4" cy="4" r="1.3" fill={s.ink} />}
    </pattern>
  );
}

/** The SVG patterns map areas and legend swatches refer to (url(#…)); drawn once per page. */
function PatternDefs() {
  return (
    <svg class="tryg-defs" width="0" height="0" aria-hidden="true" focusable="false">
      <defs>
        {(Object.keys(CLASS_STYLE) as ClassKey[]).map((k) => (
          <PatternTile key={k} id={patternId(k)} s={CLASS_STYLE[k]} />
        ))}
        <PatternTile id="tryg-pat-utsatt" s={VULN_STYLE.utsatt} />
        <PatternTile id="tryg-pat-sarskilt" s={VULN_STYLE.sarskilt} />
      </defs>
    </svg>
  );
}

function Swatch({ fill, dashed }: { fill: string; dashed?: boolean }) {
  return (
    <svg class="tryg-swatch" width="30" height="20" viewBox="0 0 30 20" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="28" height="18" rx="2" fill={fill} stroke="#333333" stroke-width={dashed ? 2 : 1} stroke-dasharray={dashed ? '4 3' : undefined} />
    </svg>
  );
}

function ClassBadge({ cls }: { cls: string }) {
  const k = classKey(cls);
  return (
    <span class={`tryg-class tryg-class-${k}`} data-class={k}>
      <Swatch fill={classFill(k)} />
      <span>{classLabel(k)}</span>
    </span>
  );
}

// ---- part 1: säkerhet och trygghet --------------------------------------------------------

function SafetyPart({ year, indicator, go }: { year: number | null; indicator: string; go: (p: { year?: number | null; indicator?: string }) => void }) {
  const [surveys, setSurveys] = useState<SurveyItem[] | null>(null);
  const [data, setData] = useState<Safety | null>(null);
  const [err, setErr] = useState('');
  const [reload, setReload] = useState(0);
  const canImport = canReview(user.value);
  const now = thisYear();

  useEffect(() => {
    let live = true;
    trygghetApi
      .surveys()
      .then((s) => live && setSurveys(s))
      .catch(() => live && setSurveys([]));
    return () => {
      live = false;
    };
  }, [reload]);

  const y = year ?? (surveys ? defaultYear(surveys, now) : null);
  useEffect(() => {
    if (!y) return;
    let live = true;
    setErr('');
    trygghetApi
      .safety({ year: y, indicator: indicator || undefined })
      .then((d) => live && setData(d))
      .catch((e) => live && (setData(null), setErr(e instanceof ApiError ? e.message : tt('loadFailed'))));
    return () => {
      live = false;
    };
  }, [y, indicator, reload]);

  const years = yearOptions(surveys ?? [], now, y);
  const rows = data && data.year === y ? data.rows : [];
  const both = rows.filter((r) => classKey(r.class) === 'both').map((r) => r.area?.name ?? '–');
  const hasSurvey = rows.some((r) => r.survey !== null);
  const yearText = y ? String(y) : '';
  const shownIndicator = data?.indicator || indicator;

  return (
    <>
      <section class="card tryg-filters" aria-labelledby="tryg-filters-h">
        <h2 id="tryg-filters-h" class="visually-hidden">{tt('tabSafety')}</h2>
        <div class="tryg-filter-row">
          <div class="field">
            <label for="tryg-year">{tt('year')}</label>
            <select id="tryg-year" value={y ?? ''} onChange={(e) => go({ year: Number(e.currentTarget.value) })}>
              {years.map((v) => (
                <option key={v} value={v}>{v}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="tryg-indicator">{tt('indicator')}</label>
            <select id="tryg-indicator" value={shownIndicator} onChange={(e) => go({ indicator: e.currentTarget.value })}>
              {!shownIndicator && <option value="">–</option>}
              {(data?.indicators ?? []).map((i) => (
                <option key={i} value={i}>{indicatorLabel(i)}</option>
              ))}
            </select>
          </div>
        </div>
        {data && (hasSurvey && data.source ? (
          <p class="muted tryg-source" data-testid="tryg-source">{tt('sourceLine', data.source, data.year)}</p>
        ) : (
          <p class="msg msg-warn" data-testid="tryg-no-survey">
            {tt('noSurvey', data.year, shownIndicator ? tt('noSurveyInd', indicatorLabel(shownIndicator)) : '')}
          </p>
        ))}
        {err && <p class="error" role="alert">{err}</p>}
      </section>

      {!data && !err && <p aria-live="polite">{tt('loading')}</p>}

      {data && (
        <>
          {hasSurvey && (
            <p class="tryg-summary" data-testid="tryg-summary">
              {both.length ? tt('summaryBoth', both.join(', ')) : tt('summaryNoneBoth', yearText)}
            </p>
          )}
          <div class="tryg-grid">
            <section class="card" aria-labelledby="tryg-map-h">
              <h2 id="tryg-map-h">{tt('mapTitle', yearText)}</h2>
              <ClassMap rows={rows} label={tt('mapLabel', yearText)} />
              <ClassLegend classes={rows.map((r) => r.class)} compact />
            </section>
            <section class="card" aria-labelledby="tryg-explain-h">
              <h2 id="tryg-explain-h">{tt('explainTitle')}</h2>
              <ClassLegend classes={rows.map((r) => r.class)} />
              <p class="tryg-note">{tt('explainHigh')}</p>
              <p class="muted small-text">{tt('explainZ')}</p>
            </section>
          </div>
          <SafetyTable data={data} yearText={yearText} />
        </>
      )}

      {canImport && <SurveyUpload onDone={() => setReload((n) => n + 1)} />}
    </>
  );
}

function ClassLegend({ classes, compact }: { classes: string[]; compact?: boolean }) {
  const entries = classLegend(classes);
  if (compact) {
    return (
      <ul class="tryg-legend" aria-label={tt('legendTitle')}>
        {entries.map((e) => (
          <li key={e.key} class="legend-item">
            <Swatch fill={e.fill} />
            {e.label} <span class="muted">({e.count})</span>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <dl class="tryg-classes" data-testid="tryg-classes">
      {entries.map((e) => (
        <div key={e.key} class="tryg-class-def">
          <dt>
            <Swatch fill={e.fill} />
            {e.label}
          </dt>
          <dd>{e.help}</dd>
        </div>
      ))}
    </dl>
  );
}

function SafetyTable({ data, yearText }: { data: Safety; yearText: string }) {
  const ind = data.indicator ? indicatorLabel(data.indicator) : tt('colSurvey');
  const cols = {
    area: tt('colArea'),
    incidents: tt('colIncidents'),
    rate: tt('colRate'),
    zi: tt('colZIncident'),
    survey: ind,
    n: tt('colN'),
    zs: tt('colZSurvey'),
    cls: tt('colClass'),
  };
  return (
    <section class="card tryg-table" aria-labelledby="tryg-table-h">
      <h2 id="tryg-table-h">{tt('tableTitle', yearText)}</h2>
      <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="tryg-table-h">
        <table class="data" data-testid="safety-table">
          <caption class="visually-hidden">{tt('tableCaption', yearText)}</caption>
          <thead>
            <tr>
              <th scope="col">{cols.area}</th>
              <th scope="col" class="num">{cols.incidents}</th>
              <th scope="col" class="num">{cols.rate}</th>
              <th scope="col" class="num">{cols.zi}</th>
              <th scope="col" class="num">{cols.survey}</th>
              <th scope="col" class="num">{cols.n}</th>
              <th scope="col" class="num">{cols.zs}</th>
              <th scope="col">{cols.cls}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r, i) => (
              <tr key={r.area?.code ?? i} data-area={r.area?.code}>
                <th scope="row" data-label={cols.area}>{r.area?.name ?? '–'}</th>
                <td class="num" data-label={cols.incidents}>{fmtNum(r.incidents)}</td>
                <td class="num" data-label={cols.rate}>{fmtNum(r.rate, 1)}</td>
                <td class="num" data-label={cols.zi}>{fmtSigned(r.z_incident, 1)}</td>
                <td class="num" data-label={cols.survey}>{fmtNum(r.survey, 1)}</td>
                <td class="num" data-label={cols.n}>{fmtNum(r.n)}</td>
                <td class="num" data-label={cols.zs}>{r.z_survey === null ? '–' : fmtSigned(r.z_survey, 1)}</td>
                <td data-label={cols.cls}>
                  <ClassBadge cls={r.class} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Shared Leaflet lifecycle: one map per mount, the municipality's areas as the background. */
function useAreaMap(label: string) {
  const el = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<L.Map | null>(null);
  const [fc, setFc] = useState<GeoJSON.FeatureCollection | null>(null);
  useEffect(() => {
    if (!el.current) return;
    const m = createMap(el.current, label);
    setMap(m);
    let live = true;
    areasGeoJSON()
      .then((f) => live && setFc(f))
      .catch(() => undefined);
    return () => {
      live = false;
      destroyMap(m);
    };
  }, []);
  useEffect(() => {
    el.current?.setAttribute('aria-label', label);
  }, [label]);
  return { el, map, fc };
}

function ClassMap({ rows, label }: { rows: Safety['rows']; label: string }) {
  const { el, map, fc } = useAreaMap(label);
  const classes = useMemo(() => {
    const m = new Map<string, ClassKey>();
    for (const r of rows) if (r.area) m.set(r.area.code, classKey(r.class));
    return m;
  }, [rows]);
  const key = [...classes].map(([c, k]) => `${c}:${k}`).join('|');
  const fitted = useRef(false);

  useEffect(() => {
    if (!map || !fc) return;
    const shown = { ...fc, features: fc.features.filter((f) => (f.properties?.level ?? 0) <= 1) };
    const layer = areaLayer(shown, {
      interactive: true,
      style: (f) => {
        const level = f.properties?.level ?? 0;
        if (level === 0) return { color: '#1a1a1a', weight: 2.5, fill: false };
        const k = classes.get(String(f.properties?.code)) ?? 'none';
        return { color: '#333333', weight: 1.2, fillColor: classFill(k), fillOpacity: 0.9 };
      },
      tooltip: (f) => {
        const code = String(f.properties?.code ?? '');
        const name = String(f.properties?.name ?? code);
        const level = f.properties?.level ?? 0;
        return esc(level === 0 ? name : tt('tipClass', name, classLabel(classes.get(code) ?? 'none')));
      },
    }).addTo(map);
    if (!fitted.current) {
      fitTo(map, layer);
      fitted.current = true;
    }
    return () => {
      layer.remove();
    };
  }, [map, fc, key, lang.value]);

  useEffect(() => {
    if (!map || !fc) return;
    const labels = areaLabels(map, fc);
    return () => {
      labels.remove();
    };
  }, [map, fc]);

  return <div ref={el} class="map map-tryg" data-testid="class-map" />;
}

// ---- survey import ------------------------------------------------------------------------

function FilePick(props: { id: string; accept: string; fileName: string; invalid: boolean; describedBy?: string; onFile: (f: File | null) => void; inputRef: { current: HTMLInputElement | null } }) {
  return (
    <div class="file-pick">
      <input ref={props.inputRef} id={props.id} type="file" class="file-input" accept={props.accept}
        aria-labelledby={`${props.id}-label`} aria-invalid={props.invalid ? 'true' : undefined}
        aria-describedby={[`${props.id}-name`, props.describedBy].filter(Boolean).join(' ')}
        onChange={(e) => props.onFile(e.currentTarget.files?.[0] ?? null)} />
      <label for={props.id} class="btn file-btn">{tt('chooseFile')}</label>
      <span id={`${props.id}-name`} class="file-name" data-testid={`${props.id}-name`}>{props.fileName || tt('noFile')}</span>
    </div>
  );
}

function ErrorList({ id, errs }: { id: string; errs: ImportErrors | null }) {
  if (!errs?.lines.length) return null;
  return (
    <div id={id} class="area-errors tryg-errors" data-testid={id}>
      <p class="error">{tt('errorsTitle')}</p>
      <ul>
        {errs.lines.map((l, i) => (
          <li key={i}>{l.text}</li>
        ))}
      </ul>
    </div>
  );
}

function UploadCard({ id, title, intro, children }: { id: string; title: string; intro: string; children: ComponentChildren }) {
  return (
    <section class="card tryg-upload" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      <p class="hint">{intro}</p>
      {children}
    </section>
  );
}

function SurveyUpload({ onDone }: { onDone: () => void }) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [errs, setErrs] = useState<ImportErrors | null>(null);
  const [msg, setMsg] = useState<Msg | null>(null);
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  async function pick(f: File | null) {
    setFileName(f?.name ?? '');
    setErrs(null);
    setMsg(null);
    setText(f ? await f.text() : '');
  }

  async function submit(e: Event) {
    e.preventDefault();
    setMsg(null);
    if (!text.trim()) {
      setErrs(null);
      setMsg({ kind: 'error', text: tt('surveyEmpty') });
      fileRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const r = await trygghetApi.importSurveys(text);
      setErrs(null);
      setMsg({ kind: 'ok', text: tt('surveyDone', r.rows, r.inserted, Math.max(0, r.rows - r.inserted)) });
      setText('');
      setFileName('');
      if (fileRef.current) fileRef.current.value = '';
      onDone();
    } catch (err) {
      const f = importFailure(err);
      setErrs(f.errs); // the file and the text stay as they were
      setMsg({ kind: 'error', text: f.msg });
    } finally {
      setBusy(false);
    }
  }

  const bad = !!errs?.lines.length;
  return (
    <UploadCard id="survey-upload" title={tt('surveyUploadTitle')} intro={tt('surveyUploadIntro')}>
      <p class="hint tryg-example-h">{tt('example')}</p>
      <pre class="tryg-example">area,indicator,period,source,value,n{'\n'}tureberg,andel_otrygga,2025,Polisens trygghetsmätning,31,404</pre>
      <form onSubmit={submit} noValidate>
        <div class={`field ${bad ? 'has-error' : ''}`}>
          <span class="label" id="survey-file-label">{tt('surveyFile')}</span>
          <FilePick id="survey-file" accept=".csv,text/csv,text/plain" fileName={fileName} invalid={bad}
            describedBy={bad ? 'survey-errors' : undefined} onFile={pick} inputRef={fileRef} />
        </div>
        <div class={`field ${bad ? 'has-error' : ''}`}>
          <label for="survey-text">{tt('surveyText')}</label>
          <p class="hint" id="survey-text-hint">{tt('surveyTextHint')}</p>
          <textarea id="survey-text" class="tryg-csv" rows={6} spellcheck={false} value={text}
            aria-invalid={bad ? 'true' : undefined} aria-describedby={['survey-text-hint', bad ? 'survey-errors' : ''].filter(Boolean).join(' ')}
            onInput={(e) => setText(e.currentTarget.value)} />
        </div>
        {msg && (
          <p class={`msg msg-${msg.kind}`} role={msg.kind === 'error' ? 'alert' : 'status'} data-testid="survey-message">
            {msg.text}
          </p>
        )}
        <ErrorList id="survey-errors" errs={errs} />
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? tt('sending') : tt('surveySend')}
        </button>
      </form>
    </UploadCard>
  );
}

// ---- part 2: the 2030 goal ----------------------------------------------------------------

function GoalPart() {
  const [goal, setGoal] = useState<Goal | null>(null);
  const [surveys, setSurveys] = useState<SurveyItem[]>([]);
  const [err, setErr] = useState('');
  const [reload, setReload] = useState(0);
  const canImport = canReview(user.value);

  useEffect(() => {
    let live = true;
    setErr('');
    trygghetApi
      .goal()
      .then((g) => live && setGoal(g))
      .catch(() => live && setErr(tt('loadFailed')));
    trygghetApi
      .surveys()
      .then((s) => live && setSurveys(s))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [reload]);

  return (
    <>
      {err && <p class="error" role="alert">{err}</p>}
      {!goal && !err && <p aria-live="polite">{tt('loading')}</p>}
      {goal && (
        <>
          <section class="card tryg-goal-head" aria-labelledby="tryg-goal-h">
            <h2 id="tryg-goal-h">{tt('goalLead', goal.goal)}</h2>
            <div class="tryg-stats">
              <p class="tryg-stat" data-testid="years-left">
                <span class="stat-value">{goal.years_left}</span> <span class="stat-label">{tt(goal.years_left === 1 ? 'yearsLeftOne' : 'yearsLeft')}</span>
              </p>
              {goal.latest_year > 0 && (
                <>
                  <p class="tryg-stat">
                    <span class="stat-value">{goal.latest_year}</span> <span class="stat-label">{tt('latestList')}</span>
                  </p>
                  <p class="tryg-stat">
                    <span class="stat-value">{goal.areas.length}</span> <span class="stat-label">{tt(goal.areas.length === 1 ? 'listedNowOne' : 'listedNow')}</span>
                  </p>
                </>
              )}
            </div>
            {goal.latest_year === 0 && <p>{tt('noList')}</p>}
            {goal.latest_year > 0 && goal.areas.length === 0 && <p>{tt('noneListed', goal.latest_year)}</p>}
          </section>
          {goal.areas.map((a) => (
            <GoalAreaCard key={a.id} a={a} surveys={surveys} />
          ))}
          <section class="card" aria-labelledby="tryg-goal-map-h">
            <h2 id="tryg-goal-map-h">{tt('goalMapTitle', goal.latest_year || '')}</h2>
            <GoalMap latest={goal.latest_year} reload={reload} />
          </section>
        </>
      )}
      {canImport && <PoliceUpload onDone={() => setReload((n) => n + 1)} />}
    </>
  );
}

function GoalAreaCard({ a, surveys }: { a: GoalArea; surveys: SurveyItem[] }) {
  const s = goalSeries(a.counts);
  const sv = goalSurveys(a, surveys, areas.value);
  const sources = [...new Set(sv.rows.map((r) => r.source))];
  const oneSource = sources.length === 1 ? sources[0] : '';
  const kind = vulnerableKind(a.level);
  const hid = `goal-area-${a.id}`;
  return (
    <article class="card tryg-goal-area" aria-labelledby={hid} data-testid="goal-area" data-code={a.code}>
      <h2 id={hid}>
        {a.name} <span class={`tryg-kind tryg-kind-${kind}`}>{tt(kind === 'sarskilt' ? 'vulnSarskilt' : 'vulnUtsatt')}</span>
      </h2>
      <dl class="tryg-facts">
        <div><dt>{tt('since')}</dt><dd>{fmtDay(a.since)}</dd></div>
        <div><dt>{tt('yearsListed')}</dt><dd data-testid="years-listed">{a.years_listed.join(', ')}</dd></div>
        {a.area && <div><dt>{tt('inArea')}</dt><dd>{a.area.name} ({a.area.code})</dd></div>}
      </dl>
      {a.share_inside < 0.995 && <p class="muted">{tt('shareInside', fmtNum(a.share_inside * 100))}</p>}

      <h3>{tt('reportsTitle')}</h3>
      <p class="tryg-trend" data-testid="goal-trend">{trendSentence(a)}</p>
      <div class="tryg-goal-grid">
        <BarChart
          label={tt('chartLabel', a.name, goalChartSummary(a.counts))}
          labels={s.labels}
          height={220}
          series={[
            { label: tt('dimSak'), values: s.sakerhet, color: '#08519c' },
            { label: tt('dimTrygg'), values: s.trygghet, color: '#e6550d' },
          ]}
        />
        <div class="table-wrap" tabIndex={0} role="region" aria-label={`${tt('reportsTitle')}: ${a.name}`}>
          <table class="data compact" data-testid="goal-counts">
            <thead>
              <tr>
                <th scope="col">{tt('colYear')}</th>
                <th scope="col" class="num">{tt('dimSak')}</th>
                <th scope="col" class="num">{tt('dimTrygg')}</th>
                <th scope="col" class="num">{tt('colTotal')}</th>
              </tr>
            </thead>
            <tbody>
              {a.counts.map((c) => (
                <tr key={c.year}>
                  <th scope="row">{yearLabel(c)}</th>
                  <td class="num">{fmtNum(c.sakerhet)}</td>
                  <td class="num">{fmtNum(c.trygghet)}</td>
                  <td class="num">{fmtNum(c.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>

      <h3>{tt('surveysTitle')}</h3>
      {sv.from === 'none' ? (
        <p>{tt('noSurveys')}</p>
      ) : (
        <>
          <p class="muted">
            {sv.from === 'own' ? tt('surveysOwn') : tt('surveysParent', sv.parentName ?? '')}
            {oneSource && ` ${tt('sourceIs', oneSource)}`}
          </p>
          <div class="table-wrap" tabIndex={0} role="region" aria-label={`${tt('surveysTitle')}: ${a.name}`}>
            <table class="data compact" data-testid="goal-surveys">
              <thead>
                <tr>
                  <th scope="col">{tt('colIndicator')}</th>
                  <th scope="col">{tt('colPeriod')}</th>
                  <th scope="col" class="num">{tt('colValue')}</th>
                  <th scope="col" class="num">{tt('colN')}</th>
                  {!oneSource && <th scope="col">{tt('colSource')}</th>}
                </tr>
              </thead>
              <tbody>
                {sv.rows.map((r, i) => (
                  <tr key={i}>
                    <td>{indicatorLabel(r.indicator)}</td>
                    <td>{r.period}</td>
                    <td class="num">{fmtNum(r.value, 1)}</td>
                    <td class="num">{fmtNum(r.n)}</td>
                    {!oneSource && <td>{r.source}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </article>
  );
}

function GoalMap({ latest, reload }: { latest: number; reload: number }) {
  const { el, map, fc } = useAreaMap(tt('goalMapLabel', latest || ''));
  const [list, setList] = useState<GeoJSON.FeatureCollection<GeoJSON.Geometry, VulnerableArea> | null>(null);

  useEffect(() => {
    let live = true;
    trygghetApi
      .vulnerableGeoJSON()
      .then((g) => live && setList(g))
      .catch(() => live && setList(null));
    return () => {
      live = false;
    };
  }, [reload]);

  useEffect(() => {
    if (!map || !fc) return;
    const bg = areaLayer(
      { ...fc, features: fc.features.filter((f) => (f.properties?.level ?? 0) <= 1) },
      {
        interactive: false,
        style: (f) => ((f.properties?.level ?? 0) === 0 ? { color: '#1a1a1a', weight: 2.5, fill: false } : { color: '#6b7280', weight: 1, fillColor: '#f4f4f4', fillOpacity: 1 }),
      },
    ).addTo(map);
    const labels = areaLabels(map, fc);
    fitTo(map, bg);
    return () => {
      labels.remove();
      bg.remove();
    };
  }, [map, fc]);

  useEffect(() => {
    if (!map || !list) return;
    const current = new Set(list.features.filter((f) => f.properties.year === latest).map((f) => f.properties.code));
    // Areas of older lists that are not on the latest one: dashed outline only, newest listing first.
    const older = new Set<string>();
    const features = [...list.features]
      .sort((x, y) => y.properties.year - x.properties.year)
      .filter((f) => {
        if (f.properties.year === latest) return true;
        if (current.has(f.properties.code) || older.has(f.properties.code)) return false;
        older.add(f.properties.code);
        return true;
      });
    const layer = L.geoJSON({ type: 'FeatureCollection', features } as GeoJSON.FeatureCollection, {
      style: (f) => {
        const p = f?.properties as VulnerableArea;
        if (p.year !== latest) return { color: '#1a1a1a', weight: 2, dashArray: '6 4', fill: false };
        return { color: '#1a1a1a', weight: 2, fillColor: `url(#tryg-pat-${vulnerableKind(p.level)})`, fillOpacity: 0.95 };
      },
      onEachFeature: (f, l) => {
        const p = f.properties as VulnerableArea;
        l.bindTooltip(esc(`${p.name}: ${tt(vulnerableKind(p.level) === 'sarskilt' ? 'vulnSarskilt' : 'vulnUtsatt')} (${p.year})`), { sticky: true, className: 'map-tip' });
      },
    }).addTo(map);
    if (layer.getBounds().isValid()) map.fitBounds(layer.getBounds().pad(1.5), { animate: false, maxZoom: 14 });
    return () => {
      layer.remove();
    };
  }, [map, list, latest, fc]);

  const hasOlder = useMemo(() => {
    const current = new Set((list?.features ?? []).filter((f) => f.properties.year === latest).map((f) => f.properties.code));
    return !!list?.features.some((f) => f.properties.year !== latest && !current.has(f.properties.code));
  }, [list, latest]);
  return (
    <>
      <div ref={el} class="map map-tryg" data-testid="goal-map" />
      <ul class="tryg-legend" aria-label={tt('legendTitle')}>
        <li class="legend-item"><Swatch fill="url(#tryg-pat-utsatt)" />{tt('vulnUtsatt')}</li>
        <li class="legend-item"><Swatch fill="url(#tryg-pat-sarskilt)" />{tt('vulnSarskilt')}</li>
        {hasOlder && <li class="legend-item"><Swatch fill="none" dashed />{tt('vulnOlder')}</li>}
        <li class="legend-item"><Swatch fill="#f4f4f4" />{tt('municipalityAreas')}</li>
      </ul>
    </>
  );
}

function PoliceUpload({ onDone }: { onDone: () => void }) {
  const [year, setYear] = useState(String(thisYear()));
  const [file, setFile] = useState<File | null>(null);
  const [yearErr, setYearErr] = useState('');
  const [fileErr, setFileErr] = useState('');
  const [errs, setErrs] = useState<ImportErrors | null>(null);
  const [msg, setMsg] = useState<Msg | null>(null);
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setMsg(null);
    setErrs(null);
    const y = parseYear(year);
    setYearErr(y ? '' : tt('policeYearBad'));
    setFileErr(file ? '' : tt('policeFileMissing'));
    if (!y || !file) {
      document.getElementById(!y ? 'police-year' : 'police-file')?.focus();
      return;
    }
    setBusy(true);
    try {
      const r = await trygghetApi.importPoliceList(file, y);
      const kept = r.items.length ? r.items.map((x) => x.name).join(', ') : tt('policeKeptNone');
      setMsg({ kind: 'ok', text: `${tt('policeDone', r.year, kept)}${r.outside.length ? ` ${tt('policeOutside', r.outside.length)}` : ''}` });
      setFile(null);
      if (fileRef.current) fileRef.current.value = '';
      onDone();
    } catch (err) {
      const f = importFailure(err, ['year']);
      if (f.errs?.fields.year) setYearErr(f.errs.fields.year);
      setErrs(f.errs); // the year and the chosen file stay
      setMsg({ kind: 'error', text: f.msg });
    } finally {
      setBusy(false);
    }
  }

  const bad = !!errs?.lines.length || !!fileErr;
  return (
    <UploadCard id="police-upload" title={tt('policeUploadTitle')} intro={tt('policeUploadIntro')}>
      <form onSubmit={submit} noValidate>
        <div class="row">
          <div class={`field ${yearErr ? 'has-error' : ''}`}>
            <label for="police-year">{tt('policeYear')}</label>
            <p class="hint" id="police-year-hint">{tt('policeYearHint')}</p>
            <input id="police-year" type="text" inputMode="numeric" autocomplete="off" class="tryg-year-input" value={year}
              aria-invalid={yearErr ? 'true' : undefined} aria-describedby={['police-year-hint', yearErr ? 'police-year-error' : ''].filter(Boolean).join(' ')}
              onInput={(e) => {
                setYear(e.currentTarget.value);
                setYearErr('');
              }} />
            {yearErr && <p class="error" id="police-year-error">{yearErr}</p>}
          </div>
          <div class={`field ${bad ? 'has-error' : ''}`}>
            <span class="label" id="police-file-label">{tt('policeFile')}</span>
            <FilePick id="police-file" accept=".geojson,.json,application/geo+json,application/json" fileName={file?.name ?? ''}
              invalid={bad} describedBy={[fileErr ? 'police-file-error' : '', errs?.lines.length ? 'police-errors' : ''].filter(Boolean).join(' ') || undefined}
              onFile={(f) => {
                setFile(f);
                setFileErr('');
                setErrs(null);
              }} inputRef={fileRef} />
            {fileErr && <p class="error" id="police-file-error">{fileErr}</p>}
          </div>
        </div>
        {msg && (
          <p class={`msg msg-${msg.kind}`} role={msg.kind === 'error' ? 'alert' : 'status'} data-testid="police-message">
            {msg.text}
          </p>
        )}
        <ErrorList id="police-errors" errs={errs} />
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? tt('sending') : tt('policeSend')}
        </button>
      </form>
    </UploadCard>
  );
}
