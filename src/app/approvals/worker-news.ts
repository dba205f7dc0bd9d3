/**
 * What people are told about firewall work, after it is on record: every copy of the card is refreshed, and the
 * requester gets a line. Sent in the background (a chat platform being slow never holds a registry lock).
 */
import { cleanupNews } from '../../core/quota/index.js';
import type { AccessRequest } from '../../core/requests/index.js';
import type { Ctx } from './deps.js';
import type { Publisher } from './publish.js';
import { notice, when } from './views.js';

export class WorkerNews {
  constructor(
    private readonly ctx: Pick<Ctx, 'background'>,
    private readonly publisher: Publisher,
  ) {}

  applying(requests: readonly AccessRequest[]): void {
    for (const r of requests) this.ctx.background('card: applying', () => this.publisher.refresh(r));
  }

  applied(requests: readonly AccessRequest[]): void {
    for (const r of requests) {
      const until = r.endsAt ? ` until ${when(r.endsAt)}` : '';
      this.tell(
        'cards: applied',
        r,
        r.kind === 'cleanup'
          ? cleanupNews(r, 'applied')
          : `Applied: ${r.rule} is allowed on ${r.registry.name}${until}. Rules take a few minutes to take effect.`,
      );
    }
  }

  failed(requests: readonly AccessRequest[], message: string, retryable: boolean): void {
    for (const r of requests)
      this.tell(
        'cards: failed',
        r,
        `${r.kind === 'cleanup' ? cleanupNews(r, 'failed', message) : `The rule could not be added: ${message}`}.${retryable ? ' Retry to try again.' : ''}`,
      );
  }

  /** An extension applied: both cards change, and the requester learns the new end. */
  extended(extension: AccessRequest, grant: AccessRequest, shortened: boolean): void {
    this.ctx.background('cards: extended', async () => {
      await this.publisher.refresh(extension);
      await this.publisher.refresh(grant);
      await this.publisher.tellRequester(
        extension,
        `Extended: ${grant.rule} on ${grant.registry.name} is now allowed until ${when(grant.endsAt)}.${shortened ? ' (Shortened to the longest time policy allows from now.)' : ''}`,
      );
    });
  }

  /** An ended grant's removal is on record: the card says whether the value came off, or why it stays. */
  /** The card's status line says what became of the rule, from the record (removed, or kept and why). */
  ruleRemoved(request: AccessRequest): void {
    this.ctx.background('cards: rule removed', () => this.publisher.refresh(request));
  }

  /** A write may have overwritten someone's change: every approver hears it (DMs, else the notify channels). */
  overwriteSuspected(request: AccessRequest, text: string): void {
    this.ctx.background('overwrite warning', async () => {
      const reply = notice('warning', 'A firewall change may have been overwritten', text);
      const sent = await this.publisher.tellApprovers(request, null, { reply });
      if (sent === 0) await this.publisher.tellApproverChannels(request, reply);
    });
  }

  private tell(what: string, r: AccessRequest, line: string): void {
    this.ctx.background(what, async () => {
      await this.publisher.refresh(r);
      await this.publisher.tellRequester(r, line);
    });
  }
}
