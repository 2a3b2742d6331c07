/// Reflows a command's `discussion` for ArgumentParser, which wraps each source line on its own
/// and so leaves ragged half-lines where the source text was broken by hand.
///
/// Consecutive unindented lines form a paragraph and are joined into one line (ArgumentParser then
/// wraps it to the terminal); blank lines stay; indented lines (examples) stay as written, split
/// with a trailing `\` and a deeper indent where they would pass `width` columns, so that a
/// copied example still runs in a shell.
enum HelpText {
    static func format(_ text: String, width: Int = 80) -> String {
        var output: [String] = []
        var paragraph: [String] = []
        func flush() {
            if !paragraph.isEmpty { output.append(paragraph.joined(separator: " ")) }
            paragraph = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                flush()
                output.append("")
            } else if line.first == " " {
                flush()
                output.append(contentsOf: wrapExample(line, width: width))
            } else {
                paragraph.append(line)
            }
        }
        flush()
        return output.joined(separator: "\n")
    }

    /// An indented example line cut at spaces into shell continuation lines of at most `width`.
    static func wrapExample(_ line: String, width: Int) -> [String] {
        guard line.count > width else { return [line] }
        let indent = String(line.prefix { $0 == " " })
        let words = line.dropFirst(indent.count).split(separator: " ").map(String.init)
        var lines: [String] = []
        var current = indent
        for word in words {
            let candidate = current.trimmingCharacters(in: .whitespaces).isEmpty ? current + word : current + " " + word
            if candidate.count + 2 > width && !current.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.append(current + " \\")
                current = indent + "    " + word
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines
    }
}
