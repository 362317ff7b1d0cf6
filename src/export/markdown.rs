//! PLACEHOLDER: being written.

use crate::record::Record;

pub fn write(_records: &[&Record]) -> String {
    String::new()
}
