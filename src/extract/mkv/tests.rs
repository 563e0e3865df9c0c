//! Matroska tests (filled below).
