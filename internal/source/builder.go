package source

// Builder assembles a tree while a parser streams values, wiring parents,
// keys, indexes and the file pointer so loaders cannot forget one.
type Builder struct {
	File *File
}

// NewBuilder starts a tree for file path.
func NewBuilder(path string, size int) *Builder {
	return &Builder{File: &File{Path: path, Size: size}}
}

// Scalar creates a detached scalar node at line:col.
func (b *Builder) Scalar(k Kind, value string, line, col int) *Node {
	b.File.Nodes++
	return &Node{Kind: k, Value: value, Line: int32(line), Col: int32(col), File: b.File}
}

// Container creates a detached object or array node at line:col.
func (b *Builder) Container(k Kind, line, col int) *Node {
	b.File.Nodes++
	return &Node{Kind: k, Line: int32(line), Col: int32(col), File: b.File}
}

// AddMember appends child to object parent under key, whose own position is
// keyLine:keyCol.
func (b *Builder) AddMember(parent *Node, key string, keyLine, keyCol int, child *Node) {
	child.Key = key
	child.KeyLine, child.KeyCol = int32(keyLine), int32(keyCol)
	b.attach(parent, child)
}

// AddItem appends child to array parent.
func (b *Builder) AddItem(parent *Node, child *Node) { b.attach(parent, child) }

func (b *Builder) attach(parent, child *Node) {
	child.Parent = parent
	child.Index = int32(len(parent.Children))
	parent.Children = append(parent.Children, child)
}

// SetRoot records the document root and returns the finished file.
func (b *Builder) SetRoot(root *Node) *File {
	b.File.Root = root
	return b.File
}
