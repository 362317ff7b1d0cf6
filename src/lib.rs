//! litbrowse: read, filter and export research literature offline, in the terminal.

pub mod cache;
pub mod diagnostic;
pub mod export;
pub mod formats;
pub mod library;
pub mod record;
pub mod synth;
