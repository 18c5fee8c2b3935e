//! Samples beside schemas.
