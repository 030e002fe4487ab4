// An anti-aliased scanline fill of glyph outlines (non-zero winding, as TrueType needs):
// curves are flattened to line segments, each pixel row is sampled on SUB sub-scanlines and
// spans get exact horizontal coverage. Pure arithmetic, so the same input gives the same
// bits on every engine.

import type { PathCommand } from 'opentype.js';

const SUB = 5;

/** A coverage bitmap (0..1 per pixel) placed at (x, y) relative to the pen position. */
export interface Coverage {
  x: number;
  y: number;
  w: number;
  h: number;
  a: Float32Array;
}

type Edge = [number, number, number, number];

/** Flattens a path (already scaled to pixels, y down) into line segments. */
export function flatten(cmds: readonly PathCommand[], scale: number, dx: number, dy: number): Edge[] {
  const edges: Edge[] = [];
  let sx = 0,
    sy = 0,
    cx = 0,
    cy = 0;
  const line = (x: number, y: number): void => {
    if (y !== cy) edges.push([cx, cy, x, y]); // horizontal edges never cross a scanline
    cx = x;
    cy = y;
  };
  const steps = (len: number): number => Math.max(1, Math.min(24, Math.ceil(len / 3)));
  for (const c of cmds) {
    const X = (v: number | undefined): number => (v ?? 0) * scale + dx;
    const Y = (v: number | undefined): number => (v ?? 0) * scale + dy;
    switch (c.type) {
      case 'M':
        if (cx !== sx || cy !== sy) line(sx, sy);
        sx = cx = X(c.x);
        sy = cy = Y(c.y);
        break;
      case 'L':
        line(X(c.x), Y(c.y));
        break;
      case 'Q': {
        const x0 = cx,
          y0 = cy,
          x1 = X(c.x1),
          y1 = Y(c.y1),
          x2 = X(c.x),
          y2 = Y(c.y);
        const n = steps(Math.abs(x1 - x0) + Math.abs(y1 - y0) + Math.abs(x2 - x1) + Math.abs(y2 - y1));
        for (let i = 1; i <= n; i++) {
          const t = i / n,
            u = 1 - t;
          line(u * u * x0 + 2 * u * t * x1 + t * t * x2, u * u * y0 + 2 * u * t * y1 + t * t * y2);
        }
        break;
      }
      case 'C': {
        const x0 = cx,
          y0 = cy,
          x1 = X(c.x1),
          y1 = Y(c.y1),
          x2 = X(c.x2),
          y2 = Y(c.y2),
          x3 = X(c.x),
          y3 = Y(c.y);
        const n = steps(Math.abs(x1 - x0) + Math.abs(y1 - y0) + Math.abs(x2 - x1) + Math.abs(y2 - y1) + Math.abs(x3 - x2) + Math.abs(y3 - y2));
        for (let i = 1; i <= n; i++) {
          const t = i / n,
            u = 1 - t;
          const a = u * u * u,
            b = 3 * u * u * t,
            d = 3 * u * t * t,
            e = t * t * t;
          line(a * x0 + b * x1 + d * x2 + e * x3, a * y0 + b * y1 + d * y2 + e * y3);
        }
        break;
      }
      case 'Z':
        line(sx, sy);
        break;
    }
  }
  if (cx !== sx || cy !== sy) line(sx, sy);
  return edges;
}

/** Fills the outline into a coverage bitmap just big enough for it (null when empty). */
export function fill(edges: readonly Edge[]): Coverage | null {
  if (edges.length === 0) return null;
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const [x0, y0, x1, y1] of edges) {
    minX = Math.min(minX, x0, x1);
    maxX = Math.max(maxX, x0, x1);
    minY = Math.min(minY, y0, y1);
    maxY = Math.max(maxY, y0, y1);
  }
  const ox = Math.floor(minX),
    oy = Math.floor(minY);
  const w = Math.ceil(maxX) - ox + 1,
    h = Math.ceil(maxY) - oy + 1;
  const a = new Float32Array(w * h);
  const xs: number[] = [];
  const dirs: number[] = [];
  const order: number[] = [];
  const weight = 1 / SUB;
  for (let row = 0; row < h; row++) {
    for (let s = 0; s < SUB; s++) {
      const yc = oy + row + (s + 0.5) / SUB;
      xs.length = dirs.length = order.length = 0;
      for (const [x0, y0, x1, y1] of edges) {
        const up = y0 > y1;
        const ya = up ? y1 : y0,
          yb = up ? y0 : y1;
        if (yc < ya || yc >= yb) continue;
        xs.push(x0 + ((yc - y0) * (x1 - x0)) / (y1 - y0));
        dirs.push(up ? -1 : 1);
        order.push(order.length);
      }
      if (xs.length < 2) continue;
      order.sort((i, j) => xs[i]! - xs[j]! || i - j);
      let wind = 0;
      for (let k = 0; k < order.length - 1; k++) {
        wind += dirs[order[k]!]!;
        if (wind !== 0) span(a, row * w, w, xs[order[k]!]! - ox, xs[order[k + 1]!]! - ox, weight);
      }
    }
  }
  return { x: ox, y: oy, w, h, a };
}

function span(a: Float32Array, base: number, w: number, xa: number, xb: number, weight: number): void {
  xa = Math.max(0, xa);
  xb = Math.min(w, xb);
  if (xb <= xa) return;
  const ia = Math.floor(xa),
    ib = Math.floor(xb);
  if (ia === ib) {
    a[base + ia]! += (xb - xa) * weight;
    return;
  }
  a[base + ia]! += (ia + 1 - xa) * weight;
  for (let i = ia + 1; i < ib; i++) a[base + i]! += weight;
  if (ib < w) a[base + ib]! += (xb - ib) * weight;
}
