// Geospatial queries as mongod answers them, computed by scanning (geo indexes hold no entries):
// $geoWithin/$within ($box, $center, $polygon in the plane; $centerSphere and $geometry on the
// sphere), $geoIntersects, and $near/$nearSphere (distance filter plus nearest-first order, which
// select.ts applies). Units follow mongod: a legacy pair with $near is planar in its own units,
// with $nearSphere in radians; a GeoJSON point is on the sphere in metres.
import { CommandError, type Doc, badValue } from './errors.js';
import { isPlainObject } from './values.js';

type Pt = [number, number];
type Vec = [number, number, number];

/** mongod's kRadiusOfEarthInMeters. */
export const EARTH_RADIUS_M = 6378100;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A legacy coordinate pair: [x, y] or an object whose first two values are numbers. */
function legacyPoint(v: unknown): Pt | null {
  if (Array.isArray(v)) return v.length >= 2 && isNum(v[0]) && isNum(v[1]) ? [v[0], v[1]] : null;
  if (isPlainObject(v) && v.type === undefined) {
    const vals = Object.values(v);
    return vals.length >= 2 && isNum(vals[0]) && isNum(vals[1]) ? [vals[0], vals[1]] : null;
  }
  return null;
}

/** A geometry reduced to what the predicates need: its points, its line segments, its polygons' outer rings. */
interface Shape {
  points: Pt[];
  segments: [Pt, Pt][];
  rings: Pt[][];
}

const emptyShape = (): Shape => ({ points: [], segments: [], rings: [] });

function addLine(s: Shape, line: unknown): void {
  if (!Array.isArray(line)) return;
  const pts = line.map(legacyPoint).filter((p): p is Pt => p !== null);
  s.points.push(...pts);
  for (let i = 1; i < pts.length; i++) s.segments.push([pts[i - 1], pts[i]]);
}

function addPolygon(s: Shape, rings: unknown): void {
  if (!Array.isArray(rings) || rings.length === 0) return;
  const outer = (rings[0] as unknown[]).map(legacyPoint).filter((p): p is Pt => p !== null);
  s.rings.push(outer);
  for (const r of rings) addLine(s, r);
}

/** A GeoJSON geometry or a legacy pair as a Shape; null when the value is neither. */
function shapeOf(v: unknown): Shape | null {
  const p = legacyPoint(v);
  if (p) return { points: [p], segments: [], rings: [] };
  if (!isPlainObject(v) || typeof v.type !== 'string') return null;
  const s = emptyShape();
  const c = v.coordinates as unknown[];
  switch (v.type) {
    case 'Point': {
      const pt = legacyPoint(c);
      if (!pt) return null;
      s.points.push(pt);
      return s;
    }
    case 'MultiPoint':
    case 'LineString':
      if (v.type === 'LineString') addLine(s, c);
      else s.points.push(...(c ?? []).map(legacyPoint).filter((q): q is Pt => q !== null));
      return s;
    case 'MultiLineString':
      for (const l of c ?? []) addLine(s, l);
      return s;
    case 'Polygon':
      addPolygon(s, c);
      return s;
    case 'MultiPolygon':
      for (const poly of c ?? []) addPolygon(s, poly);
      return s;
    case 'GeometryCollection':
      for (const g of (v.geometries as unknown[]) ?? []) {
        const sub = shapeOf(g);
        if (sub) {
          s.points.push(...sub.points);
          s.segments.push(...sub.segments);
          s.rings.push(...sub.rings);
        }
      }
      return s;
    default:
      return null;
  }
}

/** The geometries a document holds at a resolved value: one, or each element of an array of them. */
function shapesIn(v: unknown): Shape[] {
  const one = shapeOf(v);
  if (one) return [one];
  if (Array.isArray(v)) return v.flatMap((e) => shapeOf(e) ?? []);
  return [];
}

/** Values at `path`, fanning out over arrays on the way but not at the end (a pair is an array). */
export function geoValuesAt(doc: unknown, path: string): unknown[] {
  const parts = path.split('.');
  const out: unknown[] = [];
  const walk = (v: unknown, i: number): void => {
    if (i === parts.length) {
      if (v !== undefined) out.push(v);
      return;
    }
    if (Array.isArray(v)) {
      const idx = Number(parts[i]);
      if (Number.isInteger(idx) && String(idx) === parts[i]) walk(v[idx], i + 1);
      else for (const e of v) walk(e, i);
      return;
    }
    if (isPlainObject(v)) walk(v[parts[i]], i + 1);
  };
  walk(doc, 0);
  return out;
}

// ---- geometry ------------------------------------------------------------------------------

const rad = (d: number) => (d * Math.PI) / 180;

function vec([lon, lat]: Pt): Vec {
  const φ = rad(lat);
  const λ = rad(lon);
  return [Math.cos(φ) * Math.cos(λ), Math.cos(φ) * Math.sin(λ), Math.sin(φ)];
}

const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const norm = (a: Vec): Vec => {
  const l = Math.hypot(a[0], a[1], a[2]);
  return l === 0 ? a : [a[0] / l, a[1] / l, a[2] / l];
};
const angle = (a: Vec, b: Vec) => Math.atan2(Math.hypot(...cross(a, b)), dot(a, b));

/** Great-circle distance in radians. */
export function sphereDistance(a: Pt, b: Pt): number {
  return angle(vec(a), vec(b));
}

const planeDistance = (a: Pt, b: Pt) => Math.hypot(a[0] - b[0], a[1] - b[1]);

const EPS = 1e-9;

function onArc(p: Vec, a: Vec, b: Vec): boolean {
  return Math.abs(angle(a, p) + angle(p, b) - angle(a, b)) < 1e-9;
}

/** Whether two great-circle arcs (the shorter way between their ends) meet. */
function arcsIntersect([a1, a2]: [Pt, Pt], [b1, b2]: [Pt, Pt]): boolean {
  const [va1, va2, vb1, vb2] = [vec(a1), vec(a2), vec(b1), vec(b2)];
  for (const p of [va1, va2]) if (onArc(p, vb1, vb2)) return true;
  for (const p of [vb1, vb2]) if (onArc(p, va1, va2)) return true;
  const line = cross(cross(va1, va2), cross(vb1, vb2));
  if (Math.hypot(...line) < EPS) return false;
  const p = norm(line);
  const q: Vec = [-p[0], -p[1], -p[2]];
  return (onArc(p, va1, va2) && onArc(p, vb1, vb2)) || (onArc(q, va1, va2) && onArc(q, vb1, vb2));
}

/** Point in polygon (ray casting on longitude/latitude; the boundary counts as inside). */
function inRing([x, y]: Pt, ring: Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    const cr = (xj - xi) * (y - yi) - (yj - yi) * (x - xi);
    if (Math.abs(cr) < EPS && x >= Math.min(xi, xj) - EPS && x <= Math.max(xi, xj) + EPS && y >= Math.min(yi, yj) - EPS && y <= Math.max(yi, yj) + EPS)
      return true;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function shapesIntersect(a: Shape, b: Shape): boolean {
  for (const sa of a.segments) for (const sb of b.segments) if (arcsIntersect(sa, sb)) return true;
  const pointMeets = (p: Pt, s: Shape) =>
    s.points.some((q) => sphereDistance(p, q) < EPS) ||
    s.segments.some(([s1, s2]) => onArc(vec(p), vec(s1), vec(s2))) ||
    s.rings.some((r) => inRing(p, r));
  return a.points.some((p) => pointMeets(p, b)) || b.points.some((p) => pointMeets(p, a));
}

// ---- query operators -------------------------------------------------------------------------

function pairArg(v: unknown, what: string): Pt {
  const p = legacyPoint(v);
  if (!p) throw badValue(`${what} needs a coordinate pair, got ${JSON.stringify(v)}`);
  return p;
}

function numArg(v: unknown, what: string): number {
  if (!isNum(v) || v < 0) throw badValue(`${what} must be a non-negative number, got ${JSON.stringify(v)}`);
  return v;
}

/** The test a $geoWithin/$within shape makes of one document geometry: all of it must lie inside. */
function withinTest(spec: unknown): (s: Shape) => boolean {
  if (!isPlainObject(spec)) throw badValue('$geoWithin needs a shape: $box, $center, $centerSphere, $polygon or $geometry');
  const [op] = Object.keys(spec);
  const arg = spec[op];
  const allPoints = (test: (p: Pt) => boolean) => (s: Shape) => s.points.length > 0 && s.points.every(test);
  switch (op) {
    case '$box': {
      if (!Array.isArray(arg) || arg.length !== 2) throw badValue('$box needs [[x1, y1], [x2, y2]]');
      const [a, b] = [pairArg(arg[0], '$box'), pairArg(arg[1], '$box')];
      const [x1, x2, y1, y2] = [Math.min(a[0], b[0]), Math.max(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[1], b[1])];
      return allPoints(([x, y]) => x >= x1 && x <= x2 && y >= y1 && y <= y2);
    }
    case '$center':
    case '$centerSphere': {
      if (!Array.isArray(arg) || arg.length !== 2) throw badValue(`${op} needs [[x, y], radius]`);
      const c = pairArg(arg[0], op);
      const r = numArg(arg[1], `${op} radius`);
      return op === '$center' ? allPoints((p) => planeDistance(p, c) <= r) : allPoints((p) => sphereDistance(p, c) <= r);
    }
    case '$polygon': {
      if (!Array.isArray(arg) || arg.length < 3) throw badValue('$polygon needs at least three points');
      const ring = arg.map((p) => pairArg(p, '$polygon'));
      return allPoints((p) => inRing(p, ring));
    }
    case '$geometry': {
      const g = shapeOf(arg);
      if (!g || g.rings.length === 0) throw badValue('$geoWithin $geometry must be a GeoJSON Polygon or MultiPolygon');
      return allPoints((p) => g.rings.some((r) => inRing(p, r)));
    }
    default:
      throw badValue(`unknown $geoWithin shape ${op}`);
  }
}

type QueryOp = (selector: string, value: unknown) => (doc: unknown) => boolean;

const geoWithin: QueryOp = (selector, value) => {
  const test = withinTest(value);
  return (doc) => geoValuesAt(doc, selector).some((v) => shapesIn(v).some(test));
};

const geoIntersects: QueryOp = (selector, value) => {
  const g = isPlainObject(value) ? shapeOf(value.$geometry) : null;
  if (!g) throw badValue('$geoIntersects needs { $geometry: <GeoJSON> }');
  return (doc) => geoValuesAt(doc, selector).some((v) => shapesIn(v).some((s) => shapesIntersect(s, g)));
};

export const geoQueryOperators: Record<string, QueryOp> = { $geoWithin: geoWithin, $within: geoWithin, $geoIntersects: geoIntersects };

// ---- $near / $nearSphere -------------------------------------------------------------------

export interface NearQuery {
  path: string;
  /** Distance from the query point to the nearest point the document holds at `path`, or null. */
  distance(doc: Doc): number | null;
  min: number;
  max: number;
}

const NEAR_KEYS = new Set(['$near', '$nearSphere', '$maxDistance', '$minDistance']);

/**
 * Takes a top-level `{ path: { $near | $nearSphere ... } }` out of `filter`: the rest of the
 * filter and the near condition, or null when there is none. `indexKinds` names the geo index
 * kinds on each path, since mongod refuses $near without one.
 */
export function extractNear(filter: Doc, indexKind: (path: string) => string | undefined): { rest: Doc; near: NearQuery } | null {
  for (const [path, cond] of Object.entries(filter)) {
    if (path.startsWith('$') || !isPlainObject(cond)) continue;
    const op = '$near' in cond ? '$near' : '$nearSphere' in cond ? '$nearSphere' : null;
    if (!op) continue;
    const kind = indexKind(path);
    if (!kind) {
      throw new CommandError(
        291,
        'NoQueryExecutionPlans',
        `error processing query: planner returned error :: caused by :: unable to find index for $geoNear query on '${path}'; create a 2d or 2dsphere index on it`,
      );
    }
    const arg = cond[op];
    let center: Pt;
    let metres = false;
    let max = cond.$maxDistance;
    let min = cond.$minDistance;
    if (isPlainObject(arg) && ('$geometry' in arg || arg.type === 'Point')) {
      const g = '$geometry' in arg ? arg.$geometry : arg;
      const p = isPlainObject(g) && g.type === 'Point' ? legacyPoint(g.coordinates) : null;
      if (!p) throw badValue(`${op} $geometry must be a GeoJSON Point`);
      center = p;
      metres = true;
      if ('$maxDistance' in arg) max = arg.$maxDistance;
      if ('$minDistance' in arg) min = arg.$minDistance;
    } else center = pairArg(arg, op);
    const spherical = op === '$nearSphere' || metres || kind === '2dsphere';
    const scale = metres ? EARTH_RADIUS_M : 1;
    const maxD = max === undefined ? Number.POSITIVE_INFINITY : numArg(max, '$maxDistance');
    const minD = min === undefined ? 0 : numArg(min, '$minDistance');
    const rest: Doc = { ...filter };
    const others = Object.fromEntries(Object.entries(cond).filter(([k]) => !NEAR_KEYS.has(k)));
    if (Object.keys(others).length > 0) rest[path] = others;
    else delete rest[path];
    const distance = (doc: Doc): number | null => {
      let best: number | null = null;
      for (const v of geoValuesAt(doc, path))
        for (const s of shapesIn(v))
          for (const p of s.points) {
            const d = spherical ? sphereDistance(p, center) * scale : planeDistance(p, center);
            if (best === null || d < best) best = d;
          }
      return best;
    };
    return { rest, near: { path, distance, min: minD, max: maxD } };
  }
  return null;
}
