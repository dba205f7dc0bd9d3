/**
 * CloudAdapter with one public entry point that takes an already-parsed activity, so the route can answer 400 for a
 * malformed body and 401 for a forged token itself (CloudAdapter.process answers 500 for both and prints the error
 * to the console).
 */
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import { CloudAdapter } from './sdk.js';

export class TeamsCloudAdapter extends CloudAdapter {
  /** Authenticate the activity's token, run the turn, and return the invoke response (if the turn set one). */
  handle(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}
