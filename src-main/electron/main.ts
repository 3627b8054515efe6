// The desktop face: one hardened window over the same app object the other faces use.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { app, BrowserWindow, dialog, ipcMain, session } from 'electron';

import { createApp, type App } from '../app/create-app';
import { EncryptedSecretStore, MemorySecretStore } from '../core/secrets/secret-store';
import { registerIpc } from './ipc-transport';
import { installMenu } from './menu';
import { osCipher } from './safe-storage';
import { hardenSession, hardenWindow, rendererUrlPolicy } from './security';

const rendererFile = join(import.meta.dirname, '../renderer/index.html');
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const policy = rendererUrlPolicy(devServerUrl, rendererFile);
let mainWindow: BrowserWindow | undefined;

/** The Electron copy of better-sqlite3's binary, made by scripts/electron-native.mjs. */
function nativeBinding(): string | undefined {
  const file = join(import.meta.dirname, '../native/better_sqlite3.node').replace(
    /app\.asar([\\/])/,
    'app.asar.unpacked$1',
  );
  if (existsSync(file)) return file;
  if (app.isPackaged) {
    throw new Error(
      `the SQLite binary is missing from this installation (${file}); reinstall the app`,
    );
  }
  return undefined; // development: better-sqlite3's own binary
}

function openCore(): App {
  const dataDir = process.env.STX_LAB_DATA ?? app.getPath('userData');
  return createApp({
    dataDir,
    face: 'desktop',
    nativeBinding: nativeBinding(),
    secrets: (db) => {
      const c = osCipher();
      return 'cipher' in c
        ? new EncryptedSecretStore(db, c.cipher)
        : new MemorySecretStore(`Passwords are kept in memory only: ${c.refused}.`);
    },
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'StarlingX Lab Console',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  hardenWindow(win, (url) => policy.isTrusted(url));
  win.once('ready-to-show', () => win.show());
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(rendererFile);
  return win;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!policy.isTrusted(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  void app.whenReady().then(() => {
    let core: App;
    try {
      core = openCore();
    } catch (err) {
      dialog.showErrorBox('StarlingX Lab Console cannot start', String(err));
      app.exit(1);
      return;
    }
    hardenSession(session.defaultSession);
    installMenu();
    const ipc = registerIpc(ipcMain, core.dispatcher, policy);
    mainWindow = createWindow();
    ipc.attach(mainWindow.webContents);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) {
        mainWindow = createWindow();
        ipc.attach(mainWindow.webContents);
      }
    });
    app.on('will-quit', () => {
      ipc.dispose();
      core.close();
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
