//! Shared reading of OOXML packages (placeholder).
