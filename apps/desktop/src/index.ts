export { trayPresentation, type TrayPresentation } from './tray-state.js';
export { circleIconPng } from './tray-icon.js';
