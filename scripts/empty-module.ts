/**
 * What the bundle gets for `canvas`: vega-canvas tries `import("canvas")` (node-canvas, a native package the
 * bot does not use: charts are SVG drawn by resvg) and carries on without it when it has no createCanvas.
 */
export {}
