package source

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
)

func tree() *Node {
	b := NewBuilder("api.yaml", 0)
	root := b.Container(Object, 1, 1)
	paths := b.Container(Object, 2, 3)
	b.AddMember(root, "paths", 2, 1, paths)
	item := b.Container(Array, 3, 5)
	b.AddMember(paths, "/a/{id}~x", 3, 3, item)
	b.AddItem(item, b.Scalar(String, "v", 4, 7))
	b.SetRoot(root)
	return root
}

func TestPointerRoundTrip(t *testing.T) {
	root := tree()
	leaf := root.Children[0].Children[0].Children[0]
	assert.Equal(t, "/paths/~1a~1{id}~0x/0", leaf.Pointer())
	got, ok := root.Lookup(leaf.Pointer())
	assert.True(t, ok)
	assert.Same(t, leaf, got)
	_, ok = root.Lookup("/paths/nope")
	assert.False(t, ok)
	_, ok = root.Lookup("/paths/~1a~1{id}~0x/01")
	assert.False(t, ok, "leading zeros are not array indexes")
}

func TestPosPrefersKey(t *testing.T) {
	item := tree().Children[0].Children[0]
	assert.Equal(t, Pos{File: "api.yaml", Line: 3, Col: 3}, item.Pos())
	assert.Equal(t, Pos{File: "api.yaml", Line: 3, Col: 5}, item.ValuePos())
	assert.Equal(t, "api.yaml:3:3", item.Pos().String())
}

func TestGetIndexesLargeObjects(t *testing.T) {
	b := NewBuilder("x.json", 0)
	obj := b.Container(Object, 1, 1)
	for i := 0; i < 50; i++ {
		b.AddMember(obj, string(rune('a'+i%26))+string(rune('a'+i/26)), 1, 1, b.Scalar(Number, "1", 1, 1))
	}
	assert.NotNil(t, obj.Get("xb"))
	assert.Nil(t, obj.Get("missing"))
}

func TestTruncateKeepsRunesWhole(t *testing.T) {
	assert.Equal(t, "abc", Truncate("abc", 10))
	assert.Equal(t, "ab…", Truncate("abcdef", 2))
	assert.Equal(t, "a…", Truncate("aé", 2), "must not split the two-byte é")
}

func TestLineIndexCountsRunes(t *testing.T) {
	li := NewLineIndex([]byte("ab\nçd: x\n"))
	line, col := li.Position(0)
	assert.Equal(t, [2]int{1, 1}, [2]int{line, col})
	line, col = li.Position(8) // "x" after "çd: " (ç is two bytes)
	assert.Equal(t, [2]int{2, 5}, [2]int{line, col})
}

func TestErrorMessage(t *testing.T) {
	err := Errorf(Pos{File: "a.yaml", Line: 3, Col: 9}, "duplicate key %q", "x")
	assert.Equal(t, `a.yaml:3:9: duplicate key "x"`, err.Error())
}

func TestDataConvertsWithTheCallersNumbers(t *testing.T) {
	b := NewBuilder("x.json", 0)
	root := b.Container(Object, 1, 1)
	list := b.Container(Array, 1, 8)
	b.AddMember(root, "a", 1, 2, list)
	b.AddItem(list, b.Scalar(Number, "1.50", 1, 9))
	b.AddItem(list, b.Scalar(Bool, "true", 1, 14))
	b.AddItem(list, b.Scalar(Null, "null", 1, 19))
	b.AddMember(root, "s", 1, 25, b.Scalar(String, "x", 1, 29))
	b.SetRoot(root)
	got := root.Data(func(n *Node) any { return "num:" + n.Value })
	want := map[string]any{"a": []any{"num:1.50", true, nil}, "s": "x"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Data = %#v, want %#v", got, want)
	}
}
