/**
 * The people role: one row per person, upserted only when the name differs (ON CONFLICT … WHERE), so telling the
 * same name again changes no row on either database. One statement, atomic on its own: no transaction around it.
 */
import type { PeopleStore, PersonName } from '../../../app/store.js';
import { iso } from '../rows.js';
import { placeholders, type Shell } from '../shell.js';

const SAVE =
  'INSERT INTO people (platform, user_id, display_name, seen_at) VALUES (?, ?, ?, ?) ' +
  'ON CONFLICT (platform, user_id) DO UPDATE SET display_name = excluded.display_name, seen_at = excluded.seen_at ' +
  'WHERE people.display_name <> excluded.display_name';

/** Teams AAD object ids are compared case-insensitively: stored lower-case. */
const keyOf = (platform: string, userId: string): string => (platform === 'teams' ? userId.toLowerCase() : userId);

export function peopleRole(shell: Shell): PeopleStore {
  return {
    async savePersonName(platform, userId, displayName) {
      const changed = await shell.driver.write(SAVE, [
        platform,
        keyOf(platform, userId),
        displayName,
        shell.clock.now().toISOString(),
      ]);
      return changed > 0;
    },

    async personNames(platform, userIds) {
      const ids = [...new Set(userIds.map((id) => keyOf(platform, id)))].slice(0, 500);
      if (ids.length === 0) return [];
      const rows = await shell.driver.read(
        `SELECT platform, user_id, display_name, seen_at FROM people WHERE platform = ? AND user_id IN (${placeholders(ids.length)})`,
        [platform, ...ids],
      );
      return rows.map(
        (row): PersonName => ({
          platform: row.platform as PersonName['platform'],
          userId: String(row.user_id),
          displayName: String(row.display_name),
          seenAt: iso(row.seen_at) ?? '',
        }),
      );
    },
  };
}
