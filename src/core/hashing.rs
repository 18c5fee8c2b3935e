//! Hash maps for keys the tool makes itself (node references, ids, blob hashes): a fast hasher
//! seeded once per process. Keys read from files (names) keep the standard library's SipHash.

/// A `HashMap` with the fast hasher.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// A `HashSet` with the fast hasher.
pub type FastSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
