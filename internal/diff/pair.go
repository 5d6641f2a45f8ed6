package diff

import (
	"mime"
	"sort"
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// OpPair matches an operation across versions. Base is nil for an added
// operation, Rev nil for a removed one.
type OpPair struct {
	Base, Rev *Operation
	Params    []*ParamPair
	Body      *BodyPair
	Responses []*ResponsePair
	Callbacks []*OpPair
	// Schemas are the schema pairs this operation reaches directly; the
	// rest are reached through SchemaPair.Children.
	Schemas []*SchemaPair
}

// Name is the report name: the revision's for matched and added
// operations, the base's for removed ones.
func (p *OpPair) Name() string {
	if p.Rev != nil {
		return p.Rev.Name
	}
	return p.Base.Name
}

// ParamPair matches a parameter.
type ParamPair struct {
	Base, Rev *Param
	Schema    *SchemaPair
}

// BodyPair matches request bodies.
type BodyPair struct {
	Base, Rev *Body
	Media     []*MediaPair
}

// MediaPair matches one media type of a body or response.
type MediaPair struct {
	Type      string
	Base, Rev *Media
	Schema    *SchemaPair
}

// ResponsePair matches a status code.
type ResponsePair struct {
	Code      string
	Base, Rev *Response
	Media     []*MediaPair
	Headers   []*HeaderPair
}

// HeaderPair matches a response header.
type HeaderPair struct {
	Name      string
	Base, Rev *Header
	Schema    *SchemaPair
}

// SchemaPair compares two schemas on one side. Pairs are memoised on
// (base, revision, side): a shared component is compared once however many
// operations reach it, and recursive schemas terminate.
type SchemaPair struct {
	Base, Rev *Schema
	Side      Side
	Props     []*PropPair
	// PatternProps pairs patternProperties by pattern text.
	PatternProps []*PropPair
	Items        *SchemaPair
	Addl         *SchemaPair
	OneOf        []*VariantPair
	AnyOf        []*VariantPair
	// Prefix pairs tuple positions (prefixItems); a position one side lacks
	// is governed by that side's items schema.
	Prefix []*SchemaPair
	// Contains and PropertyNames are set when both sides have the keyword;
	// DepSchemas pairs dependentSchemas by property name.
	Contains, PropertyNames *SchemaPair
	DepSchemas              map[string]*SchemaPair
	// Conds pairs the if/then/else conditionals (see PairConds).
	Conds []*CondPair
	// Wire marks the value of a parameter and everything nested in it:
	// query, path, header and cookie values (and 2.0 formData) travel as
	// text, so their types are judged by the text they accept. It is part
	// of the memo key, so a component shared with a body is compared twice.
	Wire bool
	// Wrapped marks a pair where one side is a bare oneOf/anyOf and the
	// other a plain schema read as its single variant: only the variant
	// lists are compared.
	Wrapped bool
	// Switched marks a oneOf that became an anyOf or back: the two lists are
	// paired under the revision's keyword.
	Switched bool
	// Children lists every nested pair, for walks.
	Children []*SchemaPair
	// ID numbers pairs in creation order (stable for a given input).
	ID int
}

// PropPair matches a property by name. Base or Rev is nil when it was added
// or removed.
type PropPair struct {
	Name      string
	Base, Rev *Prop
	Schema    *SchemaPair
}

// VariantPair matches a oneOf/anyOf variant. The sites are the list items
// (the $ref as written), which is where findings about a variant point.
type VariantPair struct {
	Base, Rev         *Schema
	BaseSite, RevSite *source.Node
	Schema            *SchemaPair
}

type pairKey struct {
	base, rev *Schema
	side      Side
	wire      bool
}

// matcher builds the pair graph for one comparison.
type matcher struct {
	base, rev *API
	memo      map[pairKey]*SchemaPair
	all       []*SchemaPair
}

func (m *matcher) ops() []*OpPair {
	return matchOps(m, m.base.Operations, m.rev.Operations)
}

func matchOps(m *matcher, base, rev []*Operation) []*OpPair {
	partner := pairOps(base, rev)
	used := make(map[*Operation]bool, len(rev))
	var out []*OpPair
	for _, b := range base {
		p := &OpPair{Base: b, Rev: partner[b]}
		if p.Rev != nil {
			used[p.Rev] = true
			m.fillOp(p)
		}
		out = append(out, p)
	}
	for _, r := range rev {
		if !used[r] {
			out = append(out, &OpPair{Rev: r})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// pairOps matches operations by exact name first, then by the normalised
// key: a document may declare both /a/{id} and /a/{number}, and renaming a
// parameter must still match when only one of them exists.
func pairOps(base, rev []*Operation) map[*Operation]*Operation {
	out := make(map[*Operation]*Operation, len(base))
	taken := make(map[*Operation]bool, len(rev))
	byName := make(map[string]*Operation, len(rev))
	byKey := make(map[string][]*Operation, len(rev))
	for _, r := range rev {
		byName[r.Name] = r
		byKey[r.Key] = append(byKey[r.Key], r)
	}
	for _, b := range base {
		if r := byName[b.Name]; r != nil && r.Key == b.Key {
			out[b], taken[r] = r, true
		}
	}
	for _, b := range base {
		if out[b] != nil {
			continue
		}
		for _, r := range byKey[b.Key] {
			if !taken[r] {
				out[b], taken[r] = r, true
				break
			}
		}
	}
	return out
}

func (m *matcher) fillOp(p *OpPair) {
	reqSide := p.Rev.RequestSide()
	p.Params = m.params(p, reqSide)
	p.Body = m.body(p, reqSide)
	p.Responses = m.responses(p, reqSide.Flip())
	p.Callbacks = matchOps(m, p.Base.Callbacks, p.Rev.Callbacks)
}

func (m *matcher) params(op *OpPair, side Side) []*ParamPair {
	revBy := map[string]*Param{}
	for _, r := range op.Rev.Params {
		revBy[r.Key] = r
	}
	var out []*ParamPair
	seen := map[string]bool{}
	for _, b := range op.Base.Params {
		pp := &ParamPair{Base: b, Rev: revBy[b.Key]}
		seen[b.Key] = true
		if pp.Rev != nil && !b.Ignored && !pp.Rev.Ignored {
			pp.Schema = m.reach(op, m.pair(m.base.schemas.get(b.Schema), m.rev.schemas.get(pp.Rev.Schema), side, b.Text && pp.Rev.Text))
		}
		out = append(out, pp)
	}
	for _, r := range op.Rev.Params {
		if !seen[r.Key] {
			out = append(out, &ParamPair{Rev: r})
		}
	}
	return out
}

func (m *matcher) body(op *OpPair, side Side) *BodyPair {
	b, r := op.Base.Body, op.Rev.Body
	if b == nil && r == nil {
		return nil
	}
	bp := &BodyPair{Base: b, Rev: r}
	if b != nil && r != nil {
		bp.Media = m.media(op, b.Content, r.Content, side)
	}
	return bp
}

func (m *matcher) media(op *OpPair, base, rev []*Media, side Side) []*MediaPair {
	partner := pairMedia(base, rev)
	used := map[*Media]bool{}
	var out []*MediaPair
	for _, b := range base {
		mp := &MediaPair{Type: b.Type, Base: b, Rev: partner[b]}
		if mp.Rev != nil {
			used[mp.Rev] = true
			if b.Schema != nil || mp.Rev.Schema != nil {
				bs, rs := m.base.schemas.get(b.Schema), m.rev.schemas.get(mp.Rev.Schema)
				if byteStream(b.Type) {
					bs, rs = m.base.schemas.asBytes(bs), m.rev.schemas.asBytes(rs)
				}
				mp.Schema = m.schemaPair(op, bs, rs, side)
			}
		}
		out = append(out, mp)
	}
	for _, r := range rev {
		if !used[r] {
			out = append(out, &MediaPair{Type: r.Type, Rev: r})
		}
	}
	return out
}

// pairMedia matches media types as written first, then by MediaKey, so
// application/json → application/json; charset=utf-8 is the same body.
func pairMedia(base, rev []*Media) map[*Media]*Media {
	out := make(map[*Media]*Media, len(base))
	taken := map[*Media]bool{}
	for _, match := range []func(a, b *Media) bool{
		func(a, b *Media) bool { return a.Type == b.Type },
		func(a, b *Media) bool { return MediaKey(a.Type) == MediaKey(b.Type) },
	} {
		for _, b := range base {
			if out[b] != nil {
				continue
			}
			for _, r := range rev {
				if !taken[r] && match(b, r) {
					out[b], taken[r] = r, true
					break
				}
			}
		}
	}
	return out
}

// payloadNeutral are media type parameters that do not change what the
// payload means: charset only says how text is encoded into bytes (JSON is
// UTF-8 by RFC 8259, and clients decode by the Content-Type they receive),
// boundary is chosen per message. Others (version, profile,
// odata.metadata…) select a different payload and are kept.
var payloadNeutral = map[string]bool{"charset": true, "boundary": true}

// MediaKey is the comparable form of a media type: type/subtype in lower
// case plus the parameters that alter the payload, sorted. Text that does
// not parse is compared as written, trimmed and lower-cased.
func MediaKey(t string) string {
	mt, params, err := mime.ParseMediaType(t)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(t))
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		if !payloadNeutral[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(mt)
	for _, k := range keys {
		b.WriteString(";" + k + "=" + params[k])
	}
	return b.String()
}

func (m *matcher) responses(op *OpPair, side Side) []*ResponsePair {
	revBy := map[string]*Response{}
	for _, r := range op.Rev.Responses {
		revBy[r.Code] = r
	}
	seen := map[string]bool{}
	var out []*ResponsePair
	for _, b := range op.Base.Responses {
		rp := &ResponsePair{Code: b.Code, Base: b, Rev: revBy[b.Code]}
		seen[b.Code] = true
		if rp.Rev != nil {
			rp.Media = m.media(op, b.Content, rp.Rev.Content, side)
			rp.Headers = m.headers(op, b.Headers, rp.Rev.Headers, side)
		}
		out = append(out, rp)
	}
	m.pairRanges(op, out, side)
	for _, r := range op.Rev.Responses {
		if !seen[r.Code] && !rangeTaken(out, r) {
			out = append(out, &ResponsePair{Code: r.Code, Rev: r})
		}
	}
	return out
}

// pairRanges matches a status code left without a partner to a range that
// covers it on the other side (200 ~ 2XX), so 200 → 2XX compares the
// bodies instead of reporting a removal and an addition.
func (m *matcher) pairRanges(op *OpPair, pairs []*ResponsePair, side Side) {
	used := map[*Response]bool{}
	for _, rp := range pairs {
		if rp.Rev != nil {
			used[rp.Rev] = true
		}
	}
	for _, rp := range pairs {
		if rp.Rev != nil {
			continue
		}
		for _, r := range op.Rev.Responses {
			if !used[r] && sameClass(rp.Base.Code, r.Code) && (IsRange(r.Code) != IsRange(rp.Base.Code)) {
				rp.Rev, used[r] = r, true
				rp.Media = m.media(op, rp.Base.Content, r.Content, side)
				rp.Headers = m.headers(op, rp.Base.Headers, r.Headers, side)
				break
			}
		}
	}
}

func rangeTaken(pairs []*ResponsePair, r *Response) bool {
	for _, rp := range pairs {
		if rp.Rev == r {
			return true
		}
	}
	return false
}

// IsRange reports whether a status code is a range such as 2XX.
func IsRange(code string) bool { return len(code) == 3 && code[1:] == "XX" }

func sameClass(a, b string) bool {
	return len(a) == 3 && len(b) == 3 && a[0] == b[0] && a[0] >= '1' && a[0] <= '5'
}

func (m *matcher) headers(op *OpPair, base, rev []*Header, side Side) []*HeaderPair {
	revBy := map[string]*Header{}
	for _, r := range rev {
		revBy[r.Name] = r
	}
	seen := map[string]bool{}
	var out []*HeaderPair
	for _, b := range base {
		hp := &HeaderPair{Name: b.Name, Base: b, Rev: revBy[b.Name]}
		seen[b.Name] = true
		if hp.Rev != nil {
			hp.Schema = m.schemaPair(op, m.base.schemas.get(b.Schema), m.rev.schemas.get(hp.Rev.Schema), side)
		}
		out = append(out, hp)
	}
	for _, r := range rev {
		if !seen[r.Name] {
			out = append(out, &HeaderPair{Name: r.Name, Rev: r})
		}
	}
	return out
}

// schemaPair returns the memoised pair for (b, r, side) and records it as
// reached by op.
func (m *matcher) schemaPair(op *OpPair, b, r *Schema, side Side) *SchemaPair {
	return m.reach(op, m.pair(b, r, side, false))
}

// reach records p as reached directly by op.
func (m *matcher) reach(op *OpPair, p *SchemaPair) *SchemaPair {
	op.Schemas = append(op.Schemas, p)
	return p
}

// CondPair is one conditional on either side: Base or Rev is nil when it
// appeared or went. Then and Else pair its branches when both sides have
// them, so a change inside a branch reads like any other.
type CondPair struct {
	Base, Rev  *Cond
	Then, Else *SchemaPair
}
