/** Everything one emulator instance holds, shared by the routes, the control API and the in-process handle. */
import { Edits } from './edits.js';
import { Faults } from './faults.js';
import { Operations, type LroSettings } from './operations.js';
import { RequestLog } from './request-log.js';
import { EmulatorState, type StateFile } from './state.js';

export interface EmulatorSettings {
  /** Items per page for every ARM list (small values exercise nextLink paging). Default 10. */
  pageSize: number;
  /** Added to every ARM request. Default 0. */
  latencyMs: number;
  /** The address the registry data endpoint (`/_data/…/v2/`) sees clients come from; unset = the socket's. */
  clientAddress?: string;
}

export interface EmulatorCore {
  state: EmulatorState;
  operations: Operations;
  edits: Edits;
  faults: Faults;
  log: RequestLog;
  settings: EmulatorSettings;
  /** `https://127.0.0.1:PORT`, set once listening. */
  baseUrl: string;
}

export function createCore(
  initial: StateFile,
  options: { settings?: Partial<EmulatorSettings>; lro?: Partial<LroSettings> } = {},
): EmulatorCore {
  const state = new EmulatorState(initial);
  return {
    state,
    operations: new Operations(state, options.lro),
    edits: new Edits(state),
    faults: new Faults(),
    log: new RequestLog(),
    settings: { pageSize: 10, latencyMs: 0, ...options.settings },
    baseUrl: '',
  };
}
