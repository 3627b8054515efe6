// Transport state for the status bar: the desktop bridge is always open; the WebSocket may drop.
export const connection = $state<{
  state: 'connecting' | 'open' | 'reconnecting' | 'closed';
  lastError: string;
}>({ state: 'connecting', lastError: '' });
