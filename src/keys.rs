//! Terminal events to `Action`s: one pure function per kind of event, aware of the mode.
//! In the filter bar every printable character is input; only Esc, Enter, arrows, Backspace and
//! Ctrl-keys are commands.

use crate::app::{Action, Mode};
use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// A key press as an action in `mode`; None for keys that do nothing (and for releases).
pub fn map(key: KeyEvent, mode: Mode) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl {
        return match key.code {
            KeyCode::Char('c') => Some(Action::Quit),
            KeyCode::Char('z') => Some(Action::Suspend),
            KeyCode::Char('d') if mode != Mode::Filter => Some(Action::PageDown),
            KeyCode::Char('u') if mode != Mode::Filter => Some(Action::PageUp),
            KeyCode::Char('n') => Some(Action::Down),
            KeyCode::Char('p') => Some(Action::Up),
            KeyCode::Char('a') if mode == Mode::Filter => Some(Action::CursorHome),
            KeyCode::Char('e') if mode == Mode::Filter => Some(Action::CursorEnd),
            KeyCode::Char('u') => Some(Action::ClearInput),
            KeyCode::Char('w') | KeyCode::Backspace if mode == Mode::Filter => {
                Some(Action::DeleteWord)
            }
            _ => None,
        };
    }
    match mode {
        Mode::Filter => filter_key(key),
        Mode::Help => help_key(key),
        Mode::Browse => browse_key(key),
    }
}

fn filter_key(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::ALT) {
        return None;
    }
    Some(match key.code {
        KeyCode::Esc => Action::Escape,
        KeyCode::Enter => Action::Accept,
        KeyCode::Backspace => Action::DeleteBack,
        KeyCode::Delete => Action::DeleteForward,
        KeyCode::Left => Action::CursorLeft,
        KeyCode::Right => Action::CursorRight,
        KeyCode::Home => Action::CursorHome,
        KeyCode::End => Action::CursorEnd,
        KeyCode::Up => Action::Up,
        KeyCode::Down => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Tab => Action::Accept,
        KeyCode::Char(c) => Action::Insert(c),
        _ => return None,
    })
}

/// Moving up and down: the same keys in the list, the detail and the help overlay.
fn movement_key(key: KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::PageDown | KeyCode::Char(' ') => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        _ => return None,
    })
}

fn help_key(key: KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter => {
            Some(Action::Escape)
        }
        _ => movement_key(key),
    }
}

fn browse_key(key: KeyEvent) -> Option<Action> {
    if let Some(a) = movement_key(key) {
        return Some(a);
    }
    Some(match key.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Left | KeyCode::Char('h') => Action::Left,
        KeyCode::Right | KeyCode::Char('l') => Action::Right,
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrev,
        KeyCode::Enter => Action::Open,
        KeyCode::Esc => Action::Escape,
        KeyCode::Backspace | KeyCode::Char('b') => Action::Back,
        KeyCode::Char('/') => Action::StartFilter,
        KeyCode::Char('s') => Action::CycleSort,
        KeyCode::Char('r') => Action::Reverse,
        KeyCode::Char('y') => Action::CopyDoi,
        KeyCode::Char('Y') => Action::CopyCitation,
        KeyCode::Char('o') => Action::OpenLink,
        KeyCode::Char('m') => Action::ToggleMark,
        KeyCode::Char('e') => Action::Export,
        KeyCode::Char('E') => Action::CycleExportFormat,
        KeyCode::Char('?') => Action::Help,
        _ => return None,
    })
}

/// Wheel and left clicks, with the cell under the pointer.
pub fn mouse(m: MouseEvent) -> Option<Action> {
    let (col, row) = (m.column, m.row);
    match m.kind {
        MouseEventKind::ScrollDown => Some(Action::WheelDown { col, row }),
        MouseEventKind::ScrollUp => Some(Action::WheelUp { col, row }),
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { col, row }),
        _ => None,
    }
}

/// Any terminal event as an action.
pub fn from_event(event: Event, mode: Mode) -> Option<Action> {
    match event {
        Event::Key(k) => map(k, mode),
        Event::Mouse(m) => mouse(m),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::FocusGained | Event::FocusLost => None,
    }
}

/// Parses a key string such as `"/repper<enter>j<c-c>"` into key presses, for tests and
/// scripts. Named keys: enter, esc, tab, s-tab, bs, del, up, down, left, right, home, end,
/// pgup, pgdn, space, lt (a literal `<`); `c-x` is Ctrl+x. An unknown name is an error.
pub fn parse_keys(s: &str) -> Result<Vec<KeyEvent>, String> {
    let mut out = Vec::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '<' {
            let mods = if c.is_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            out.push(KeyEvent::new(KeyCode::Char(c), mods));
            continue;
        }
        let name: String = chars.by_ref().take_while(|&c| c != '>').collect();
        let key = match name.to_ascii_lowercase().as_str() {
            "enter" | "cr" => KeyEvent::from(KeyCode::Enter),
            "esc" => KeyEvent::from(KeyCode::Esc),
            "tab" => KeyEvent::from(KeyCode::Tab),
            "s-tab" => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
            "bs" | "backspace" => KeyEvent::from(KeyCode::Backspace),
            "del" => KeyEvent::from(KeyCode::Delete),
            "up" => KeyEvent::from(KeyCode::Up),
            "down" => KeyEvent::from(KeyCode::Down),
            "left" => KeyEvent::from(KeyCode::Left),
            "right" => KeyEvent::from(KeyCode::Right),
            "home" => KeyEvent::from(KeyCode::Home),
            "end" => KeyEvent::from(KeyCode::End),
            "pgup" => KeyEvent::from(KeyCode::PageUp),
            "pgdn" => KeyEvent::from(KeyCode::PageDown),
            "space" => KeyEvent::from(KeyCode::Char(' ')),
            "lt" => KeyEvent::from(KeyCode::Char('<')),
            n if n.len() == 3 && n.starts_with("c-") => {
                let c = n.chars().nth(2).unwrap_or(' ');
                KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
            }
            _ => return Err(format!("unknown key <{name}>")),
        };
        out.push(key);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_mode_takes_letters_as_input() {
        let q = KeyEvent::from(KeyCode::Char('q'));
        assert_eq!(map(q, Mode::Filter), Some(Action::Insert('q')));
        assert_eq!(map(q, Mode::Browse), Some(Action::Quit));
        let cc = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(map(cc, Mode::Filter), Some(Action::Quit));
    }

    #[test]
    fn releases_are_ignored() {
        let mut k = KeyEvent::from(KeyCode::Char('j'));
        k.kind = KeyEventKind::Release;
        assert_eq!(map(k, Mode::Browse), None);
    }

    #[test]
    fn key_strings() {
        let keys = parse_keys("/a<enter><c-c>").unwrap();
        assert_eq!(keys.len(), 4);
        assert_eq!(keys[1].code, KeyCode::Char('a'));
        assert_eq!(keys[2].code, KeyCode::Enter);
        assert_eq!(keys[3].modifiers, KeyModifiers::CONTROL);
        assert!(parse_keys("<nope>").is_err());
    }
}
