// Package store defines what Roost persists, as small interfaces that
// storage back ends implement.
//
// The MTProto layer needs auth keys ([AuthKeys]), the server salts of each
// key ([Salts]) and the sessions opened under each key ([Sessions]).
// Accounts need users ([Users]), pending login codes ([LoginCodes]),
// two-step verification ([Passwords]), address books and block lists
// ([Contacts]), privacy rules ([Privacy]), registered API clients ([Apps])
// and bot tokens ([Bots]). Messaging needs each user's message box, dialogs
// and update log ([Boxes]) and basic groups ([Chats]). A [Store] bundles
// them with Close.
//
// Implementations live in sub-packages: store/sqlite is the embedded default
// (one file, zero set-up) and store/memory keeps everything in RAM (for
// tests, and for temporary PFS keys, which the protocol says should never
// reach the disk). store/storetest holds the conformance suite that every
// implementation runs, so that a PostgreSQL back end can be added and
// checked against the same rules.
//
// Conventions shared by all implementations:
//
//   - Times are stored with one-second precision (Telegram's own unit for
//     every time in the protocol) and returned in UTC.
//   - Lookups of missing rows return an error wrapping [ErrNotFound];
//     creating a row that exists returns one wrapping [ErrExists]. Writes
//     that name a user who does not exist (a contact, a password, ...)
//     fail with [ErrNotFound] too.
//   - Deleting an auth key deletes its salts, its sessions and every
//     temporary key bound to it. What belongs to a user (password,
//     contacts, block list, privacy rules, bot token, message box, dialogs,
//     update log, chat memberships) goes with the user.
//   - User ids are never reused: assigned ids start at [FirstUserID] and
//     only grow. The same holds for chat ids from [FirstChatID], and for
//     message ids, pts and seq within each box.
//   - Byte slices are copied in both directions: callers may reuse theirs.
//   - All methods are safe for concurrent use.
package store
