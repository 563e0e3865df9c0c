//! Rendering a finished [`model::Report`]: every renderer only reads the model.

pub mod model;
