//! A small mutable XML tree for CAPA preprocessing. roxmltree (which parses) is read-only, and
//! Open edX rewrites the problem tree in place (ids, choice names, shuffling), so the parsed
//! document is copied into this arena and serialised back. The accessors follow lxml's model
//! where CAPA depends on it: an element's `text` is the text before its first child node, its
//! `tail` the text right after it, and moving an element moves its tail with it.

use std::fmt::Write;

/// What a node is.
#[derive(Clone, Debug)]
pub enum Kind {
    Element {
        name: String,
        attrs: Vec<(String, String)>,
    },
    Text(String),
    Comment(String),
    Pi {
        target: String,
        value: Option<String>,
    },
}

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: Kind,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
}

/// An arena of nodes; index 0 is the root element.
#[derive(Clone, Debug)]
pub struct Tree {
    nodes: Vec<Node>,
}

/// Limits that keep hostile documents cheap (roxmltree also bounds entity expansion).
const MAX_NODES: u32 = 200_000;
/// Copying and serialising recurse; deeper documents are refused rather than risk the stack.
const MAX_DEPTH: usize = 256;

impl Tree {
    /// Parse a document; only the root element is kept (as `lxml.etree.XML` returns it).
    pub fn parse(text: &str) -> Result<Tree, String> {
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            nodes_limit: MAX_NODES,
        };
        if nesting_depth(text) > MAX_DEPTH {
            return Err(format!("elements nested deeper than {MAX_DEPTH}"));
        }
        let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| e.to_string())?;
        let mut tree = Tree { nodes: Vec::new() };
        tree.copy(doc.root_element(), None);
        Ok(tree)
    }

    fn copy(&mut self, n: roxmltree::Node<'_, '_>, parent: Option<usize>) -> Option<usize> {
        let kind = match n.node_type() {
            roxmltree::NodeType::Element => {
                let name = qualified(n, n.tag_name().namespace(), n.tag_name().name());
                let mut attrs: Vec<(String, String)> = Vec::new();
                let parent_ns: Vec<(Option<&str>, &str)> = n
                    .parent_element()
                    .map(|p| p.namespaces().map(|ns| (ns.name(), ns.uri())).collect())
                    .unwrap_or_default();
                for ns in n.namespaces() {
                    if ns.name() == Some("xml") || parent_ns.contains(&(ns.name(), ns.uri())) {
                        continue;
                    }
                    let key = match ns.name() {
                        Some(p) => format!("xmlns:{p}"),
                        None => "xmlns".to_string(),
                    };
                    attrs.push((key, ns.uri().to_string()));
                }
                for a in n.attributes() {
                    attrs.push((qualified(n, a.namespace(), a.name()), a.value().to_string()));
                }
                Kind::Element { name, attrs }
            }
            roxmltree::NodeType::Text => Kind::Text(n.text().unwrap_or("").to_string()),
            roxmltree::NodeType::Comment => Kind::Comment(n.text().unwrap_or("").to_string()),
            roxmltree::NodeType::PI => {
                let pi = n.pi()?;
                Kind::Pi {
                    target: pi.target.to_string(),
                    value: pi.value.map(str::to_string),
                }
            }
            roxmltree::NodeType::Root => return None,
        };
        let id = self.nodes.len();
        self.nodes.push(Node {
            kind,
            parent,
            children: Vec::new(),
        });
        for c in n.children() {
            if let Some(cid) = self.copy(c, Some(id)) {
                self.nodes[id].children.push(cid);
            }
        }
        Some(id)
    }

    pub const ROOT: usize = 0;

    pub fn node(&self, i: usize) -> &Node {
        &self.nodes[i]
    }

    pub fn is_element(&self, i: usize) -> bool {
        matches!(self.nodes[i].kind, Kind::Element { .. })
    }

    /// The tag name, "" for a non-element.
    pub fn tag(&self, i: usize) -> &str {
        match &self.nodes[i].kind {
            Kind::Element { name, .. } => name,
            _ => "",
        }
    }

    pub fn set_tag(&mut self, i: usize, tag: &str) {
        if let Kind::Element { name, .. } = &mut self.nodes[i].kind {
            *name = tag.to_string();
        }
    }

    pub fn attr(&self, i: usize, key: &str) -> Option<&str> {
        match &self.nodes[i].kind {
            Kind::Element { attrs, .. } => attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    pub fn set_attr(&mut self, i: usize, key: &str, value: &str) {
        if let Kind::Element { attrs, .. } = &mut self.nodes[i].kind {
            match attrs.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value.to_string(),
                None => attrs.push((key.to_string(), value.to_string())),
            }
        }
    }

    pub fn parent(&self, i: usize) -> Option<usize> {
        self.nodes[i].parent
    }

    /// Element descendants in document order (not `i` itself).
    pub fn descendants(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.nodes[i].children.iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            if self.is_element(n) {
                out.push(n);
                stack.extend(self.nodes[n].children.iter().rev());
            }
        }
        out
    }

    /// Element children.
    pub fn children(&self, i: usize) -> Vec<usize> {
        self.nodes[i]
            .children
            .iter()
            .copied()
            .filter(|&c| self.is_element(c))
            .collect()
    }

    /// Element children with this tag.
    pub fn children_named(&self, i: usize, tag: &str) -> Vec<usize> {
        self.nodes[i]
            .children
            .iter()
            .copied()
            .filter(|&c| self.tag(c) == tag)
            .collect()
    }

    pub fn child_named(&self, i: usize, tag: &str) -> Option<usize> {
        self.nodes[i]
            .children
            .iter()
            .copied()
            .find(|&c| self.tag(c) == tag)
    }

    /// lxml's `.text`: the text before the first child node.
    pub fn text(&self, i: usize) -> Option<&str> {
        let first = *self.nodes[i].children.first()?;
        match &self.nodes[first].kind {
            Kind::Text(t) => Some(t),
            _ => None,
        }
    }

    /// Set lxml's `.text` (an empty string removes it).
    pub fn set_text(&mut self, i: usize, text: &str) {
        let first = self.nodes[i].children.first().copied();
        if let Some(f) = first {
            if let Kind::Text(t) = &mut self.nodes[f].kind {
                if text.is_empty() {
                    self.nodes[i].children.remove(0);
                    self.nodes[f].parent = None;
                } else {
                    *t = text.to_string();
                }
                return;
            }
        }
        if !text.is_empty() {
            let id = self.push_text(text, i);
            self.nodes[i].children.insert(0, id);
        }
    }

    fn push_text(&mut self, text: &str, parent: usize) -> usize {
        self.nodes.push(Node {
            kind: Kind::Text(text.to_string()),
            parent: Some(parent),
            children: Vec::new(),
        });
        self.nodes.len() - 1
    }

    /// lxml's `.tail`: the text node right after `i`.
    pub fn tail(&self, i: usize) -> Option<&str> {
        let p = self.nodes[i].parent?;
        let sib = &self.nodes[p].children;
        let pos = sib.iter().position(|&c| c == i)?;
        match &self.nodes[*sib.get(pos + 1)?].kind {
            Kind::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The non-text children of `i`, each with the text node after it (lxml's element + tail).
    fn units(&self, i: usize) -> (Option<usize>, Vec<Vec<usize>>) {
        let mut lead = None;
        let mut units: Vec<Vec<usize>> = Vec::new();
        for &c in &self.nodes[i].children {
            match (&self.nodes[c].kind, units.last_mut()) {
                (Kind::Text(_), Some(u)) => u.push(c),
                (Kind::Text(_), None) => lead = Some(c),
                _ => units.push(vec![c]),
            }
        }
        (lead, units)
    }

    /// The element children of `i` as Open edX's restricted lxml elements list them
    /// (`getchildren()` skips comments and processing instructions).
    pub fn child_nodes(&self, i: usize) -> Vec<usize> {
        self.children(i)
    }

    /// Open edX's "remove every child element, append these back": the leading text and the
    /// comments stay first (each with its tail), then the elements of `order`, each with its
    /// tail; elements left out are detached.
    pub fn reorder_children(&mut self, i: usize, order: &[usize]) {
        let (lead, units) = self.units(i);
        let mut children: Vec<usize> = lead.into_iter().collect();
        for u in &units {
            if !self.is_element(u[0]) {
                children.extend(u);
            }
        }
        for &n in order {
            if let Some(u) = units.iter().find(|u| u[0] == n) {
                children.extend(u);
            }
        }
        for u in &units {
            if self.is_element(u[0]) && !order.contains(&u[0]) {
                for &n in u {
                    self.nodes[n].parent = None;
                }
            }
        }
        self.nodes[i].children = children;
    }

    /// Detach `i` and its tail (lxml's `remove`), leaving its siblings in place.
    pub fn remove(&mut self, i: usize) {
        let Some(p) = self.nodes[i].parent else {
            return;
        };
        let sib = &self.nodes[p].children;
        let Some(pos) = sib.iter().position(|&c| c == i) else {
            return;
        };
        let mut n = 1;
        if let Some(&next) = sib.get(pos + 1) {
            if matches!(self.nodes[next].kind, Kind::Text(_)) {
                n = 2;
            }
        }
        let removed: Vec<usize> = self.nodes[p].children.drain(pos..pos + n).collect();
        for r in removed {
            self.nodes[r].parent = None;
        }
    }

    /// All text inside `i`, concatenated.
    pub fn text_content(&self, i: usize) -> String {
        let mut s = String::new();
        self.collect_text(i, &mut s);
        s
    }

    fn collect_text(&self, i: usize, out: &mut String) {
        match &self.nodes[i].kind {
            Kind::Text(t) => out.push_str(t),
            Kind::Element { .. } => {
                for &c in &self.nodes[i].children {
                    self.collect_text(c, out);
                }
            }
            _ => {}
        }
    }

    /// Serialise `i` (without its tail).
    pub fn to_xml(&self, i: usize) -> String {
        let mut s = String::new();
        self.write(i, &mut s);
        s
    }

    /// Serialise the content of `i`: its text and child nodes.
    pub fn inner_xml(&self, i: usize) -> String {
        let mut s = String::new();
        for &c in &self.nodes[i].children {
            self.write(c, &mut s);
        }
        s
    }

    fn write(&self, i: usize, out: &mut String) {
        match &self.nodes[i].kind {
            Kind::Text(t) => escape_text(t, out),
            Kind::Comment(t) => {
                let _ = write!(out, "<!--{t}-->");
            }
            Kind::Pi { target, value } => match value {
                Some(v) => {
                    let _ = write!(out, "<?{target} {v}?>");
                }
                None => {
                    let _ = write!(out, "<?{target}?>");
                }
            },
            Kind::Element { name, attrs } => {
                out.push('<');
                out.push_str(name);
                for (k, v) in attrs {
                    out.push(' ');
                    out.push_str(k);
                    out.push_str("=\"");
                    escape_attr(v, out);
                    out.push('"');
                }
                if self.nodes[i].children.is_empty() {
                    out.push_str("/>");
                } else {
                    out.push('>');
                    for &c in &self.nodes[i].children {
                        self.write(c, out);
                    }
                    out.push_str("</");
                    out.push_str(name);
                    out.push('>');
                }
            }
        }
    }
}

/// The deepest element nesting of a document, by a quote-aware scan of its tags (done before
/// parsing: the parser and the tree code recurse).
fn nesting_depth(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut i, mut depth, mut max) = (0usize, 0usize, 0usize);
    let skip_to = |from: usize, end: &[u8]| -> usize {
        b[from..]
            .windows(end.len())
            .position(|w| w == end)
            .map_or(b.len(), |p| from + p + end.len())
    };
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = skip_to(i + 4, b"-->");
        } else if rest.starts_with(b"<![CDATA[") {
            i = skip_to(i + 9, b"]]>");
        } else if rest.starts_with(b"<?") {
            i = skip_to(i + 2, b"?>");
        } else if rest.starts_with(b"<!") {
            i = skip_to(i + 2, b">");
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            i = skip_to(i + 2, b">");
        } else {
            let mut j = i + 1;
            let mut quote = None;
            while j < b.len() {
                match (quote, b[j]) {
                    (None, b'"' | b'\'') => quote = Some(b[j]),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            if j >= 1 && b.get(j - 1) != Some(&b'/') {
                depth += 1;
                max = max.max(depth);
            }
            i = j + 1;
        }
    }
    max
}

fn qualified(n: roxmltree::Node<'_, '_>, ns: Option<&str>, local: &str) -> String {
    match ns.and_then(|uri| n.lookup_prefix(uri)) {
        Some(p) if !p.is_empty() => format!("{p}:{local}"),
        _ => local.to_string(),
    }
}

/// Escape character data (`&`, `<`, `>`).
pub fn escape_text(t: &str, out: &mut String) {
    for ch in t.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

fn escape_attr(t: &str, out: &mut String) {
    for ch in t.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
}

/// HTML-escape a string as Django's `html.escape` does (`& < > " '`).
pub fn html_escape(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    for ch in t.chars() {
        match ch {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#x27;"),
            c => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tails() {
        let t = Tree::parse("<a x=\"1&amp;2\">hi<b/>tail<!--c--><c>t</c> end</a>").unwrap();
        assert_eq!(
            t.to_xml(Tree::ROOT),
            "<a x=\"1&amp;2\">hi<b/>tail<!--c--><c>t</c> end</a>"
        );
        let b = t.children(Tree::ROOT)[0];
        assert_eq!(t.tail(b), Some("tail"));
        assert_eq!(t.text(Tree::ROOT), Some("hi"));
        let mut t2 = t.clone();
        let kids = t2.child_nodes(Tree::ROOT);
        t2.reorder_children(Tree::ROOT, &[kids[1], kids[0]]);
        assert_eq!(
            t2.to_xml(Tree::ROOT),
            "<a x=\"1&amp;2\">hi<!--c--><c>t</c> end<b/>tail</a>"
        );
        let mut t3 = t.clone();
        t3.remove(b);
        assert_eq!(
            t3.to_xml(Tree::ROOT),
            "<a x=\"1&amp;2\">hi<!--c--><c>t</c> end</a>"
        );
    }
}
