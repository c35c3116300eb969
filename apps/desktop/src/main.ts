import { homedir, hostname } from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, Menu, nativeImage, shell, Tray } from 'electron';
import {
  ContributorNode,
  defaultConfigFile,
  defaultNodeConfig,
  ensureIdentity,
  OwnerPoints,
  pairNode,
  type PairingCode,
  readConfigFile,
  removeStatusFile,
  resolveNodeConfig,
  StatusServer,
  updateConfigFile,
  writeStatusFile,
} from '@gleaner/node-core';
import { circleIconPng } from './tray-icon.js';
import { trayPresentation } from './tray-state.js';

// The Electron main process stays thin: node-core does the work; this wires a tray, a window and login start.

let tray: Tray | undefined;
let window: BrowserWindow | undefined;

function openWindow(url: string): void {
  if (window && !window.isDestroyed()) return window.show();
  window = new BrowserWindow({
    width: 1000,
    height: 760,
    title: 'Gleaner',
    webPreferences: { contextIsolation: true, nodeIntegration: false, sandbox: true },
  });
  const origin = new URL(url).origin;
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event, target) => {
    if (new URL(target).origin !== origin) event.preventDefault();
  });
  void window.loadURL(url);
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Shows a fixed page in the first window (a data: URL; no script runs in it). */
function showPage(body: string): void {
  const html = `<body style="font:15px system-ui;padding:24px">${body}</body>`;
  if (!window || window.isDestroyed())
    window = new BrowserWindow({ width: 640, height: 380, title: 'Gleaner' });
  void window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
  window.show();
}

function showProblem(message: string): void {
  showPage(`<h2>Gleaner is not set up yet</h2><p>${escapeHtml(message)}</p>
<p>Run <code>gleaner-node config set coordinator URL</code>, then restart Gleaner: it shows a code to approve.</p>`);
}

/** The code to approve, and its page opened in the browser (docs/pairing.md). */
function showPairingCode(code: PairingCode): void {
  showPage(`<h2>Pair this computer</h2><p>Approve this code as the node's owner:</p>
<p style="font:28px ui-monospace,monospace;letter-spacing:.12em">${escapeHtml(code.userCode)}</p>
<p>on <code>${escapeHtml(code.link)}</code> (opened in your browser). It expires at
${escapeHtml(code.expiresAt.toLocaleTimeString())}; Gleaner starts by itself once it is approved.</p>`);
  if (/^https?:\/\//.test(code.link)) void shell.openExternal(code.link);
}

async function run(): Promise<void> {
  const env = process.env;
  const configFile = defaultConfigFile(env, homedir());
  const { config } = resolveNodeConfig({
    flags: {},
    env,
    file: await readConfigFile(configFile),
    defaults: defaultNodeConfig({
      dataDir: path.join(homedir(), '.config', 'gleaner-node'),
      name: hostname(),
    }),
  });
  if (!config.coordinator) return showProblem(`No coordinator in ${configFile}.`);
  let ownerToken = config.token;
  if (!ownerToken) {
    // Pairing by code: the owner approves in their browser, and no token is ever typed here.
    const paired = await pairNode({
      coordinatorUrl: config.coordinator,
      stateDir: config.dataDir,
      name: config.name,
      onCode: showPairingCode,
    }).catch((error: unknown) => {
      showProblem(`${error instanceof Error ? error.message : String(error)}. Restart Gleaner to try again.`);
      return undefined;
    });
    if (!paired) return;
    await updateConfigFile(configFile, { token: paired.ownerToken });
    ownerToken = paired.ownerToken;
    window?.close();
  }
  const identity = await ensureIdentity({
    coordinatorUrl: config.coordinator,
    ownerToken,
    stateDir: config.dataDir,
    name: config.name,
  });
  const node = await ContributorNode.create({
    identity,
    dataDir: config.dataDir,
    controls: config,
    fetcher: { allowPorts: config.allowPorts },
    render: config.render,
  });
  const points = new OwnerPoints({ coordinatorUrl: config.coordinator, ownerToken });
  const server = new StatusServer({
    node,
    dataDir: config.dataDir,
    port: config.statusPort,
    anyPortIfBusy: true,
    points: () => points.get(),
    onControls: async (controls) => void (await updateConfigFile(configFile, controls)),
  });
  await server.listen();
  await writeStatusFile(config.dataDir, { url: server.url, key: server.key, pid: process.pid });
  node.start();

  tray = new Tray(nativeImage.createFromBuffer(circleIconPng('#a0aec0')));
  const refresh = (): void => {
    const view = trayPresentation(node.status());
    tray?.setImage(nativeImage.createFromBuffer(circleIconPng(view.color)));
    tray?.setToolTip(view.tooltip);
    tray?.setContextMenu(
      Menu.buildFromTemplate([
        { label: view.label, enabled: false },
        { type: 'separator' },
        { label: 'Open status page', click: () => openWindow(server.pageUrl) },
        view.canResume
          ? { label: 'Resume', click: () => node.resume() }
          : { label: 'Pause', click: () => node.pause() },
        {
          label: 'Start at login',
          type: 'checkbox',
          checked: app.getLoginItemSettings().openAtLogin,
          click: (item) => app.setLoginItemSettings({ openAtLogin: item.checked, openAsHidden: true }),
        },
        { type: 'separator' },
        { label: 'Quit Gleaner', click: () => app.quit() },
      ]),
    );
  };
  node.on('status', refresh);
  refresh();

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    // Finish the jobs in hand before leaving, so no lease is dropped.
    void node
      .stop()
      .then(() => server.close())
      .then(() => removeStatusFile(config.dataDir))
      .finally(() => app.exit(0));
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A tray app keeps running with its window closed.
  app.on('window-all-closed', () => {});
  app
    .whenReady()
    .then(run)
    .catch((error: unknown) => {
      process.stderr.write(`gleaner desktop: ${error instanceof Error ? error.message : String(error)}\n`);
      app.exit(1);
    });
}
