package sqlite

import (
	"database/sql/driver"
	"fmt"

	msqlite "modernc.org/sqlite"

	"github.com/roostchat/roost/store/internal/rules"
)

// Search matches text without regard to case. SQLite's own lower() and
// LIKE fold ASCII letters only, so every connection gets roost_fold, the
// folding of rules.Fold (Unicode simple case folding), and Search runs
// roost_fold(text) LIKE '%' || folded needle || '%' with LIKE's wildcards
// escaped. It scans the owner's messages (or the dialog's) newest first;
// no index helps a substring search. PostgreSQL would use
// lower(text) LIKE lower(?) or ILIKE instead of the function.
func init() {
	msqlite.MustRegisterDeterministicScalarFunction("roost_fold", 1,
		func(_ *msqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return rules.Fold(v), nil
			case []byte:
				return rules.Fold(string(v)), nil
			case nil:
				return nil, nil
			default:
				return nil, fmt.Errorf("roost_fold: %T is not text", v)
			}
		})
}
