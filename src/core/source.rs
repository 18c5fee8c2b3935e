//! Source files, byte spans and line/column lookup.
//!
//! Owns the text every finding points into. Pure: callers hand in bytes they already read.

use std::fmt;

/// A half-open byte range `[start, end)` into a source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// Index of a file inside a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// One source text and where it came from.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Display name: a path relative to the working directory, or `path @ ref`.
    pub name: String,
    /// The text as read (lossily decoded when the bytes were not valid UTF-8, so
    /// diagnostics can still show the surroundings of a bad byte).
    pub text: String,
    /// Offsets where lines start, computed the first time a position is asked for: most files
    /// of a run never have a finding. As `u32` (half the memory); a text longer than that
    /// counts its lines when asked instead.
    line_starts: std::sync::OnceLock<Vec<u32>>,
    /// (byte offset, characters before it) every [`CHECKPOINT`] bytes, for columns in long lines.
    checkpoints: std::sync::OnceLock<Vec<(usize, usize)>>,
}

/// Bytes between column checkpoints.
const CHECKPOINT: usize = 4096;

impl SourceFile {
    pub fn new(name: impl Into<String>, text: String) -> Self {
        SourceFile {
            name: name.into(),
            text,
            line_starts: std::sync::OnceLock::new(),
            checkpoints: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0u32];
            if u32::try_from(self.text.len()).is_err() {
                return starts;
            }
            let starts_at = |i: usize| i as u32;
            // Bytes, not chars: `\n` never occurs inside a multi-byte UTF-8 sequence.
            let b = self.text.as_bytes();
            let mut at = 0;
            // Eight bytes at a time: a mask with the high bit of every `\n` byte set (exactly:
            // no carry crosses bytes), then one step per line break.
            const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
            while let Some(chunk) = b.get(at..at + 8) {
                let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes")) ^ 0x0A0A_0A0A_0A0A_0A0A;
                let mut breaks = !(((x & LOWS) + LOWS) | x | LOWS);
                while breaks != 0 {
                    starts.push(starts_at(at + (breaks.trailing_zeros() / 8) as usize + 1));
                    breaks &= breaks - 1;
                }
                at += 8;
            }
            starts.extend(b[at..].iter().enumerate().filter(|(_, c)| **c == b'\n').map(|(i, _)| starts_at(at + i + 1)));
            starts
        })
    }

    /// The 0-based line of a byte offset and the offset where that line starts.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        match u32::try_from(offset) {
            Ok(o) if u32::try_from(self.text.len()).is_ok() => {
                let starts = self.line_starts();
                let line = match starts.binary_search(&o) {
                    Ok(i) => i,
                    Err(i) => i - 1,
                };
                (line, starts[line] as usize)
            }
            // A text of 4 GiB or more: counted, not indexed.
            _ => {
                let before = &self.text.as_bytes()[..offset];
                let line = before.iter().filter(|c| **c == b'\n').count();
                (line, before.iter().rposition(|c| *c == b'\n').map_or(0, |i| i + 1))
            }
        }
    }

    /// The span moved onto character boundaries and into the text, so slicing never panics.
    pub fn clamp(&self, s: Span) -> Span {
        let fix = |mut i: usize| {
            i = i.min(self.text.len());
            while !self.text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = fix(s.start);
        Span::new(start, fix(s.end).max(start))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let (line, start) = self.line_of(offset);
        let mut end = offset;
        while end > start && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = if end - start <= CHECKPOINT {
            self.text[start..end].chars().count() + 1
        } else {
            // A long line (a schema written on one line): count from checkpoints, so that
            // thousands of positions in it do not each count the line from its start.
            self.chars_before(end) - self.chars_before(start) + 1
        };
        (line + 1, col)
    }

    /// Characters before a byte offset (on a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let marks = self.checkpoints.get_or_init(|| {
            let mut marks = vec![(0usize, 0usize)];
            let (mut at, mut chars) = (0usize, 0usize);
            while at + CHECKPOINT < self.text.len() {
                let mut next = at + CHECKPOINT;
                while !self.text.is_char_boundary(next) {
                    next += 1;
                }
                chars += self.text[at..next].chars().count();
                at = next;
                marks.push((at, chars));
            }
            marks
        });
        let k = match marks.binary_search_by_key(&offset, |m| m.0) {
            Ok(k) => k,
            Err(k) => k - 1,
        };
        let (at, chars) = marks[k];
        chars + self.text[at..offset].chars().count()
    }
}

/// All the files a run looked at, addressed by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId((self.files.len() - 1) as u32)
    }
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
    pub fn len(&self) -> usize {
        self.files.len()
    }
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_found_exactly() {
        // Line breaks beside every other byte value, at every place in an eight-byte word.
        for b in 0u8..0x80 {
            for n in 0..20 {
                let text: String = (0..n).map(|i| if i % 3 == 1 { '\n' } else { b as char }).collect::<String>() + "\n";
                let f = SourceFile::new("f", text.clone());
                for offset in 0..=text.len() {
                    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
                    let want = (text[..offset].matches('\n').count() + 1, offset - line_start + 1);
                    assert_eq!(f.line_col(offset), want, "byte {b:#x}, {n} bytes, offset {offset}");
                }
            }
        }
    }

    #[test]
    fn columns_in_long_lines_count_characters() {
        // One long line of multi-byte characters, as a schema written on one line can be.
        let text: String = (0..3000).map(|i| if i % 3 == 0 { "é" } else { "ab" }).collect::<String>() + "\nx✓y";
        let f = SourceFile::new("f", text.clone());
        for offset in (0..text.len()).filter(|o| text.is_char_boundary(*o)).step_by(37) {
            let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
            let want = (text[..offset].matches('\n').count() + 1, text[line_start..offset].chars().count() + 1);
            assert_eq!(f.line_col(offset), want, "offset {offset}");
        }
    }
}
