//! One value per post, indexed by [`Post`]: the 22 posts always there, no index arithmetic and
//! no lookup that can miss.

use crate::post::Post;

/// A value for each of the 22 posts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostMap<T>([T; 22]);

impl<T: Default> Default for PostMap<T> {
    fn default() -> Self {
        PostMap(std::array::from_fn(|_| T::default()))
    }
}

impl<T> PostMap<T> {
    /// The value of `post`.
    pub fn get(&self, post: Post) -> &T {
        // A `Post` is only ever built from an index below 22 (see `post.rs`).
        #[allow(clippy::indexing_slicing)]
        &self.0[post.index()]
    }

    /// The value of `post`, to change.
    pub fn get_mut(&mut self, post: Post) -> &mut T {
        #[allow(clippy::indexing_slicing)]
        &mut self.0[post.index()]
    }

    /// The values in code order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter()
    }

    /// Each post with its value, in code order.
    pub fn iter(&self) -> impl Iterator<Item = (Post, &T)> {
        Post::all().zip(self.0.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_value_per_post() {
        let mut map: PostMap<u32> = PostMap::default();
        let post = Post::from_code("3.9").unwrap();
        *map.get_mut(post) += 2;
        assert_eq!(*map.get(post), 2);
        assert_eq!(map.values().sum::<u32>(), 2);
        assert_eq!(map.iter().count(), 22);
        assert_eq!(
            map.iter().find(|(_, v)| **v == 2).map(|(p, _)| p.code()),
            Some("3.9")
        );
    }
}
