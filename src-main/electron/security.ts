// Window hardening: the same CSP as the browser face, no navigation away from the app,
// no new windows (links open in the system browser), no permission grants.
import { shell, type BrowserWindow, type Session } from 'electron';

import { CONTENT_SECURITY_POLICY } from '../shared/security';

export function rendererUrlPolicy(devServerUrl: string | undefined, rendererFile: string) {
  const fileUrl = new URL(`file://${rendererFile}`).href;
  return {
    isTrusted(url: string): boolean {
      if (devServerUrl && url.startsWith(devServerUrl)) return true;
      return url.split('#')[0]?.split('?')[0] === fileUrl;
    },
  };
}

export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export function hardenWindow(win: BrowserWindow, isTrusted: (url: string) => boolean): void {
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrusted(url)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isTrusted(url)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
