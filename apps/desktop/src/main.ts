import { homedir, hostname } from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, Menu, nativeImage, Tray } from 'electron';
import {
  ContributorNode,
  defaultConfigFile,
  defaultNodeConfig,
  ensureIdentity,
  OwnerPoints,
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

function showProblem(message: string): void {
  const html = `<body style="font:15px system-ui;padding:24px"><h2>Gleaner is not set up yet</h2><p>${message.replace(/[<&]/g, '')}</p>
<p>Run <code>gleaner-node config set coordinator URL</code> and <code>gleaner-node config set token -</code> (it reads the token from standard input), then restart Gleaner.</p></body>`;
  window = new BrowserWindow({ width: 640, height: 360, title: 'Gleaner' });
  void window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
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
  if (!config.coordinator || !config.token)
    return showProblem(`No coordinator or owner token in ${configFile}.`);
  const identity = await ensureIdentity({
    coordinatorUrl: config.coordinator,
    ownerToken: config.token,
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
  const points = new OwnerPoints({ coordinatorUrl: config.coordinator, ownerToken: config.token });
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
