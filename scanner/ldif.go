package scanner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/rs/zerolog"
)

// LDIF reads an offline export (ldifde -f, or ldapsearch -LLL) of a domain,
// for auditors who are handed a file instead of credentials.
type LDIF struct {
	name   string
	path   string
	baseDN string // when set, entries outside this subtree are skipped
	log    zerolog.Logger
}

var _ Source = (*LDIF)(nil)

// NewLDIF reads the export at path as the directory called name.
func NewLDIF(name, path, baseDN string, log zerolog.Logger) *LDIF {
	return &LDIF{name: name, path: path, baseDN: baseDN, log: log}
}

// Name is the [[directory]] name.
func (l *LDIF) Name() string { return l.name }

// Scan streams the export's users, computers and groups; one entry is in
// memory at a time. A malformed file fails with its line number.
func (l *LDIF) Scan(ctx context.Context, emit func(*Object) error) error {
	f, err := os.Open(l.path)
	if err != nil {
		return &DirectoryError{Directory: l.name, Op: "read", Err: err}
	}
	defer f.Close()
	counts := map[Kind]int{}
	var (
		obj  Object
		get  attrGetter
		base = normDN(l.baseDN)
	)
	err = readLDIF(f, scanAttribute, func(e *LDIFEntry) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if l.baseDN != "" && !underNormDN(normDN(e.DN), base) {
			return nil
		}
		kind := e.kind()
		if kind == 0 {
			return nil
		}
		if get == nil {
			get = e.values // the entry is the same one every time
		}
		if err := decodeObject(&obj, kind, l.name, e.DN, get); err != nil {
			l.log.Warn().Int("line", e.Line).Str("dn", e.DN).Err(err).Msg("value not understood; the rest of the entry is used")
		}
		counts[kind]++
		return emit(&obj)
	})
	if err != nil {
		var ee *emitError
		if errors.As(err, &ee) {
			return ee.err
		}
		return &DirectoryError{Directory: l.name, Op: "read", Err: fmt.Errorf("%s: %w", l.path, err)}
	}
	l.log.Info().Str("file", l.path).Int("users", counts[KindUser]).Int("computers", counts[KindComputer]).Int("groups", counts[KindGroup]).Msg("export read")
	return nil
}

// scannedAttributes are the attributes Scan reads, lower case: what the
// live scan asks the directory for, and what tells the kinds apart. An
// export holds much more (every group's member list, for one).
var scannedAttributes = func() map[string]bool {
	m := map[string]bool{"objectclass": true, "objectcategory": true}
	for _, kind := range []Kind{KindUser, KindComputer, KindGroup} {
		for _, a := range attributesFor(kind) {
			m[strings.ToLower(a)] = true
		}
	}
	return m
}()

func scanAttribute(lowerName []byte) bool { return scannedAttributes[string(lowerName)] }

// normDN is a DN to compare: lower case, without spaces after commas.
func normDN(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), ", ", ","))
}

// underNormDN reports whether dn is base or inside its subtree; both are normDN'd.
func underNormDN(dn, base string) bool {
	return dn == base || len(dn) > len(base) && dn[len(dn)-len(base)-1] == ',' && dn[len(dn)-len(base):] == base
}
