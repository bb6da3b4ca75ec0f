import type { DreamdeckAdminStrings } from './strings-types.js';

/**
 * English strings of `<dreamdeck-admin>`. They live here, with the admin view, rather than in
 * `en`, so the chat's script-tag file does not carry them; a locale's `admin` strings and a
 * page's `strings.admin` are merged over these.
 */
export const enAdmin: DreamdeckAdminStrings = {
  title: 'Dreamdeck admin',
  flags: 'Global flags',
  usage: 'Usage per user and day',
  feedback: 'Feedback per persona and day',
  recentComments: 'Recent comments',
  user: 'User',
  day: 'Day',
  turns: 'Turns',
  images: 'Images',
  rateLimited: 'Rate-limited',
  up: 'Thumbs up',
  down: 'Thumbs down',
  noData: 'No data yet.',
  refresh: 'Refresh',
  forbidden: 'This view needs an admin token.',
  surveys: 'Surveys',
  responses: 'Responses',
  answered: 'answered',
  skipped: 'skipped',
  mean: 'mean',
  answers: 'Answers',
  more: 'More answers',
  variants: 'Prompt experiments',
  variant: 'Variant',
  upShare: 'Thumbs up',
  interval: '95% interval',
  promote: 'Promote',
  promoted: 'Promoted',
};
