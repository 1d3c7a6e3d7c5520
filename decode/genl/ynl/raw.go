package ynl

import (
	"strconv"

	"go.yaml.in/yaml/v3"
)

// The raw types mirror the YAML as written; each remembers the line it
// started on so that errors can point at it. Keys the decoder does not use
// (doc, checks, mcast-groups, kernel-family, ...) are ignored.

type rawSpec struct {
	Name          string          `yaml:"name"`
	Protocol      string          `yaml:"protocol"`
	UAPIHeader    string          `yaml:"uapi-header"`
	Version       *int            `yaml:"version"`
	Definitions   []rawDefinition `yaml:"definitions"`
	AttributeSets []rawAttrSet    `yaml:"attribute-sets"`
	Operations    rawOperations   `yaml:"operations"`
	SubMessages   []rawSubMessage `yaml:"sub-messages"`
}

type rawDefinition struct {
	Line       int            `yaml:"-"`
	Name       string         `yaml:"name"`
	Type       string         `yaml:"type"`
	Header     string         `yaml:"header"`
	NamePrefix *string        `yaml:"name-prefix"`
	ValueStart *int64         `yaml:"value-start"`
	Value      *intOrName     `yaml:"value"`
	Entries    []rawEnumEntry `yaml:"entries"`
	Members    []rawMember    `yaml:"members"`
}

func (d *rawDefinition) UnmarshalYAML(n *yaml.Node) error {
	type plain rawDefinition
	if err := n.Decode((*plain)(d)); err != nil {
		return err
	}
	d.Line = n.Line
	return nil
}

type rawEnumEntry struct {
	Line  int    `yaml:"-"`
	Name  string `yaml:"name"`
	Value *int64 `yaml:"value"`
}

// UnmarshalYAML accepts an entry written as a bare name or as a map.
func (e *rawEnumEntry) UnmarshalYAML(n *yaml.Node) error {
	e.Line = n.Line
	if n.Kind == yaml.ScalarNode {
		e.Name = n.Value
		return nil
	}
	type plain rawEnumEntry
	if err := n.Decode((*plain)(e)); err != nil {
		return err
	}
	e.Line = n.Line
	return nil
}

type rawMember struct {
	Line        int        `yaml:"-"`
	Name        string     `yaml:"name"`
	Type        string     `yaml:"type"`
	Len         *intOrName `yaml:"len"`
	ByteOrder   string     `yaml:"byte-order"`
	DisplayHint string     `yaml:"display-hint"`
	Enum        string     `yaml:"enum"`
	EnumAsFlags bool       `yaml:"enum-as-flags"`
	Struct      string     `yaml:"struct"`
}

func (m *rawMember) UnmarshalYAML(n *yaml.Node) error {
	type plain rawMember
	if err := n.Decode((*plain)(m)); err != nil {
		return err
	}
	m.Line = n.Line
	return nil
}

type rawAttrSet struct {
	Line       int       `yaml:"-"`
	Name       string    `yaml:"name"`
	NamePrefix *string   `yaml:"name-prefix"`
	SubsetOf   string    `yaml:"subset-of"`
	Attributes []rawAttr `yaml:"attributes"`
}

func (s *rawAttrSet) UnmarshalYAML(n *yaml.Node) error {
	type plain rawAttrSet
	if err := n.Decode((*plain)(s)); err != nil {
		return err
	}
	s.Line = n.Line
	return nil
}

type rawAttr struct {
	Line             int        `yaml:"-"`
	Name             string     `yaml:"name"`
	Type             string     `yaml:"type"`
	Value            *int64     `yaml:"value"`
	NamePrefix       *string    `yaml:"name-prefix"`
	Enum             string     `yaml:"enum"`
	EnumAsFlags      bool       `yaml:"enum-as-flags"`
	NestedAttributes string     `yaml:"nested-attributes"`
	MultiAttr        bool       `yaml:"multi-attr"`
	ByteOrder        string     `yaml:"byte-order"`
	DisplayHint      string     `yaml:"display-hint"`
	SubType          string     `yaml:"sub-type"`
	Struct           string     `yaml:"struct"`
	SubMessage       string     `yaml:"sub-message"`
	Selector         string     `yaml:"selector"`
	TypeValue        []string   `yaml:"type-value"`
	Len              *intOrName `yaml:"len"`
}

func (a *rawAttr) UnmarshalYAML(n *yaml.Node) error {
	type plain rawAttr
	if err := n.Decode((*plain)(a)); err != nil {
		return err
	}
	a.Line = n.Line
	return nil
}

type rawOperations struct {
	Line        int      `yaml:"-"`
	NamePrefix  *string  `yaml:"name-prefix"`
	AsyncPrefix *string  `yaml:"async-prefix"`
	EnumModel   string   `yaml:"enum-model"`
	FixedHeader string   `yaml:"fixed-header"`
	List        []rawOp  `yaml:"list"`
	Exclude     []string `yaml:"exclude"`
}

func (o *rawOperations) UnmarshalYAML(n *yaml.Node) error {
	type plain rawOperations
	if err := n.Decode((*plain)(o)); err != nil {
		return err
	}
	o.Line = n.Line
	return nil
}

type rawOp struct {
	Line         int        `yaml:"-"`
	Name         string     `yaml:"name"`
	Value        *int64     `yaml:"value"`
	AttributeSet string     `yaml:"attribute-set"`
	FixedHeader  string     `yaml:"fixed-header"`
	Do           *rawOpMode `yaml:"do"`
	Dump         *rawOpMode `yaml:"dump"`
	Notify       string     `yaml:"notify"`
	Event        *rawOpMsg  `yaml:"event"`
}

func (o *rawOp) UnmarshalYAML(n *yaml.Node) error {
	type plain rawOp
	if err := n.Decode((*plain)(o)); err != nil {
		return err
	}
	o.Line = n.Line
	return nil
}

type rawOpMode struct {
	Request *rawOpMsg `yaml:"request"`
	Reply   *rawOpMsg `yaml:"reply"`
}

type rawOpMsg struct {
	Value      *int64   `yaml:"value"`
	Attributes []string `yaml:"attributes"`
}

type rawSubMessage struct {
	Line    int            `yaml:"-"`
	Name    string         `yaml:"name"`
	Formats []rawSubFormat `yaml:"formats"`
}

func (s *rawSubMessage) UnmarshalYAML(n *yaml.Node) error {
	type plain rawSubMessage
	if err := n.Decode((*plain)(s)); err != nil {
		return err
	}
	s.Line = n.Line
	return nil
}

type rawSubFormat struct {
	Line         int    `yaml:"-"`
	Value        string `yaml:"value"`
	FixedHeader  string `yaml:"fixed-header"`
	AttributeSet string `yaml:"attribute-set"`
}

func (f *rawSubFormat) UnmarshalYAML(n *yaml.Node) error {
	type plain rawSubFormat
	if err := n.Decode((*plain)(f)); err != nil {
		return err
	}
	f.Line = n.Line
	return nil
}

// intOrName is a number or the name of a constant (a struct member's len,
// a const definition's value).
type intOrName struct {
	Line int
	Num  int64
	Name string
	IsN  bool
}

func (v *intOrName) UnmarshalYAML(n *yaml.Node) error {
	v.Line = n.Line
	if n.Kind != yaml.ScalarNode {
		return &yaml.TypeError{Errors: []string{"line " + strconv.Itoa(n.Line) + ": want a number or a constant's name"}}
	}
	if i, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
		v.Num, v.IsN = i, true
		return nil
	}
	v.Name = n.Value
	return nil
}
