/** Row shapes exactly as SQLite returns them. */
export interface EventRow {
  id: string;
  slug: string;
  title: string;
  timezone: string;
  /** `en` or `ja` (see EVENT_LANGUAGES); older rows were migrated to `en`. */
  language: string;
  template: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionRow {
  id: string;
  event_id: string;
  title: string;
  starts_at: string | null;
  ends_at: string | null;
  /** JSON array of room names. */
  rooms: string;
  track: string | null;
  moderators: string;
  tags: string;
  description: string | null;
  uid: string | null;
  locked: number;
  state: string;
  now_discussing: string | null;
  notes_updated_at: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface TokenRow {
  hash: string;
  token: string;
  event_id: string;
  role: string;
  created_at: string;
  revoked_at: string | null;
}
