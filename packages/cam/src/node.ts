// `@cnnkit/cam/node`: the sharp-based writers. Kept out of the main entry so that
// bundling `@cnnkit/cam` for a browser never pulls sharp (a native module) in.
export { overlayHeatmap, type OverlayOptions } from './overlay-heatmap.js';
export { writeOverlay, type WriteOverlayOptions } from './write-overlay.js';
export { camTitle, contactSheet, contactSheetTitles, type ContactSheetItem, type ContactSheetOptions } from './contact-sheet.js';
