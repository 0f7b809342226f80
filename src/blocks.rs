//! Items kept in blocks of a fixed size: a million of them are never moved at once as they
//! come (a vector that doubles would briefly hold them twice). The diff's lines, the Monte
//! Carlo model and the lines of a post that `explain` lists grow this way.

/// Items in blocks of at most [`BLOCK`], in the order pushed.
#[derive(Clone, Debug)]
pub(crate) struct Blocks<T> {
    blocks: Vec<Vec<T>>,
    len: usize,
}

/// Items in a block of [`Blocks`].
pub(crate) const BLOCK: usize = 1 << 16;

impl<T> Default for Blocks<T> {
    fn default() -> Self {
        Blocks {
            blocks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Blocks<T> {
    /// Adds an item after the others.
    pub(crate) fn push(&mut self, item: T) {
        match self.blocks.last_mut() {
            Some(block) if block.len() < BLOCK => block.push(item),
            _ => self.blocks.push(vec![item]),
        }
        self.len += 1;
    }

    /// The number of items.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The number of blocks.
    #[cfg(test)]
    pub(crate) fn blocks(&self) -> usize {
        self.blocks.len()
    }

    /// Item `i` (0-based, in the order pushed).
    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        self.blocks.get(i / BLOCK)?.get(i % BLOCK)
    }

    /// The items, in the order pushed.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.blocks.iter().flatten()
    }

    /// The items, in the order pushed, to change.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.blocks.iter_mut().flatten()
    }
}
