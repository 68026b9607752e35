import SMRLCore

/// Parsing of the values that tagged formats share: person names, dates, pages and identifiers.
enum RISValues {
    // MARK: Names

    /// Words that mark a name without a comma as an organisation, not a PubMed-style `Smith JA`.
    static let organisationWords: Set<String> = [
        "organization", "organisation", "association", "society", "institute", "institut", "university",
        "universidad", "universität", "council", "group", "committee", "agency", "department", "foundation",
        "ministry", "center", "centre", "collaboration", "collaborative", "consortium", "network", "team",
        "trust", "board", "commission", "office", "service", "services", "program", "programme", "initiative",
        "alliance", "federation", "college", "academy", "hospital", "inc", "inc.", "ltd", "ltd.", "corporation",
        "company", "co.", "llc", "gmbh", "bank", "authority", "working", "panel", "force", "investigators",
        "study", "trialists", "project", "school", "faculty", "laboratory", "library", "museum", "press",
        "and", "&", "of", "for", "the", "on", "in", "und", "et", "des", "du", "der",
    ]

    /// Lower-case words that start a family name as a non-dropping particle (`van Beethoven`).
    static let particles: Set<String> = [
        "van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "della", "dello", "dos", "das",
        "do", "ten", "ter", "te", "zu", "zum", "zur", "af", "av", "al", "el", "bin", "ibn", "st.", "d'", "l'",
        "van't", "'t",
    ]

    /// Suffixes recognised in the middle part of `Last, Suffix, First`.
    static let suffixes: Set<String> = [
        "jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "2nd", "3rd", "4th", "junior", "senior",
    ]

    /// One RIS name: `Last, First`, `Last, First, Suffix`, `Last, Suffix, First`, PubMed `Last FM` / `Last F.M.`,
    /// a single word (family name only), or anything else without a comma (an organisation, kept literal).
    static func person(_ raw: String) -> Person? {
        if let person = commaPerson(raw) { return person }
        return generalPerson(raw)
    }

    /// ``person(_:)`` of a name given as well-formed UTF-8 bytes (a stored value, or a String's): the String is made
    /// only for the forms that ``commaPerson(bytes:)`` does not decide.
    static func person(bytes: UnsafeBufferPointer<UInt8>) -> Person? {
        if let person = commaPerson(bytes: bytes) { return person }
        if let person = plainGeneralPerson(bytes: bytes) { return person }
        return generalPerson(UTF8Strings.string(validUTF8: bytes, ascii: RISScanner.isASCII(bytes)))
    }

    /// ``generalPerson(_:)`` of a name without a comma that needs no split into words, decided on the bytes: the
    /// name is compact (``isCompact(bytes:)``: nothing to collapse or trim) and does not end in `,` or `;`; one
    /// word is the family name, and words whose last is no initials (or five words and more) are the name as a
    /// literal (an organisation). Nil for anything else ("not decided here"): a comma, a last word of initials or
    /// one with a byte that is not ASCII, which ``generalPerson(_:)`` reads. The tests compare the two.
    static func plainGeneralPerson(bytes: UnsafeBufferPointer<UInt8>) -> Person? {
        let count = bytes.count
        guard count > 0, bytes[count - 1] != 0x2C, bytes[count - 1] != 0x3B, isCompact(bytes: bytes) else { return nil }
        var spaces = 0
        var lastSpace = -1
        var ascii = true
        var commas = 0
        for index in 0..<count {
            let byte = bytes[index]
            if byte == 0x2C { commas += 1 }
            if byte == 0x20 {
                spaces += 1
                lastSpace = index
            } else if byte >= 0x80 {
                ascii = false
            }
        }
        if commas > 0 { return commas == 1 ? nil : commaPartsPerson(compact: bytes) }
        if spaces == 0 { return Person(family: UTF8Strings.string(validUTF8: bytes, ascii: ascii)) }
        if spaces < 4 {
            // ``isInitials(_:)`` of the last word: one to four upper-case letters, `.` and `-` aside. A lower-case
            // letter or other ASCII byte says no at once; a byte that is not ASCII leaves it to the general path.
            var letters = 0
            var unknown = false
            for index in (lastSpace + 1)..<count {
                let byte = bytes[index]
                if byte == 0x2E || byte == 0x2D { continue }
                if byte >= 0x80 {
                    unknown = true
                    continue
                }
                if byte < 0x41 || byte > 0x5A {
                    letters = -1
                    break
                }
                letters += 1
            }
            if letters >= 0 && (unknown || (1...4).contains(letters)) { return nil }
        }
        return Person(literal: UTF8Strings.string(validUTF8: bytes, ascii: ascii))
    }

    /// ``generalPerson(_:)`` of a compact name (``isCompact(bytes:)``, no `,` or `;` at its end) with two commas
    /// or more, on the bytes: the family name, then the given names, then a suffix (`Smith, John, Jr.`), or a
    /// suffix before the given names (`Smith, Jr., John`), or the parts past the given names joined as the suffix.
    /// Nil when the part that may be a suffix is not ASCII (its lower-casing is left to the general reading).
    static func commaPartsPerson(compact bytes: UnsafeBufferPointer<UInt8>) -> Person? {
        let count = bytes.count
        // The parts between commas, each trimmed (compact: at most one space at either end, no other white space).
        var parts: [Range<Int>] = []
        parts.reserveCapacity(4)
        var start = 0
        for index in 0...count where index == count || bytes[index] == 0x2C {
            var from = start
            var to = index
            if from < to, bytes[from] == 0x20 { from += 1 }
            if to > from, bytes[to - 1] == 0x20 { to -= 1 }
            parts.append(from..<to)
            start = index + 1
        }
        func text(_ range: Range<Int>) -> String {
            let part = UnsafeBufferPointer(rebasing: bytes[range])
            return UTF8Strings.string(validUTF8: part, ascii: RISScanner.isASCII(part))
        }
        let family = parts[0]
        var rest = parts.dropFirst().filter { !$0.isEmpty }
        var person = Person()
        if rest.count >= 2 {
            // `suffixes` holds ASCII words of at most six letters, lower case.
            let first = rest[rest.startIndex]
            var lower: [UInt8] = []
            for index in first {
                let byte = bytes[index]
                if byte >= 0x80 { return nil }
                lower.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
            }
            if lower.count <= 6, suffixes.contains(String(decoding: lower, as: UTF8.self)) {
                person.suffix = text(first)
                rest.removeFirst()
            } else {
                person.suffix = rest.dropFirst().map(text).joined(separator: ", ")
                rest = [first]
            }
        }
        if let given = rest.first { person.given = text(given) }
        if family.isEmpty {
            if person.given == nil { return nil }
            return Person(literal: person.given)
        }
        splitParticle(text(family), into: &person)
        return person
    }

    /// ``person(_:)`` past the `Family, Given` byte reading.
    static func generalPerson(_ raw: String) -> Person? {
        var text = collapseSpaces(raw)
        while let lastByte = text.utf8.last, lastByte == 0x2C || lastByte == 0x3B, let last = text.last,
            last == "," || last == ";"
        {
            text.removeLast()
        }
        text = text.trimmed
        guard !text.isEmpty else { return nil }
        // The first comma, the number of spaces and the last space, found on the bytes (the text's words stand one
        // space apart now, so the spaces count the words and the last one starts the last word).
        let (commaOffset, spaces, lastSpace) = text.withUTF8Bytes { bytes -> (Int?, Int, Int) in
            var comma: Int?
            var spaces = 0
            var lastSpace = -1
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte == 0x2C, comma == nil { comma = index }
                if byte == 0x20 {
                    spaces += 1
                    lastSpace = index
                }
            }
            return (comma, spaces, lastSpace)
        }
        if let commaOffset {
            let comma = text.utf8.index(text.startIndex, offsetBy: commaOffset)
            let afterComma = text.utf8.index(after: comma)
            if !text.utf8[afterComma...].contains(0x2C) {
                // One comma (`Family, Given`): what the general path below gives for two parts, without arrays.
                let family = text[..<comma].trimmed
                let given = text[afterComma...].trimmed
                if family.isEmpty { return given.isEmpty ? nil : Person(literal: given) }
                var person = Person()
                if !given.isEmpty { person.given = given }
                splitParticle(family, into: &person)
                return person
            }
            let parts = text.splitASCII(0x2C, omittingEmpty: false).map { $0.trimmed }
            var person = Person()
            let family = parts[0]
            var rest = Array(parts.dropFirst()).filter { !$0.isEmpty }
            if rest.count >= 2, suffixes.contains(rest[0].lowercased()) {
                person.suffix = rest.removeFirst()
            } else if rest.count >= 2 {
                person.suffix = rest.dropFirst().joined(separator: ", ")
                rest = [rest[0]]
            }
            if let given = rest.first, !given.isEmpty { person.given = given }
            if family.isEmpty {
                if person.given == nil { return nil }
                return Person(literal: person.given)
            }
            splitParticle(family, into: &person)
            return person
        }
        if spaces == 0 { return Person(family: text) }
        // Only a last word of initials makes the words worth splitting (most such names are organisations).
        // (The last word cut as ``String/splitASCII(_:omittingEmpty:)`` cuts it.)
        guard spaces < 4, isInitials(String(text[text.utf8.index(text.startIndex, offsetBy: lastSpace + 1)...]))
        else { return Person(literal: text) }
        let tokens = text.splitASCII(0x20).map(String.init)
        if let initials = tokens.last, isInitials(initials), tokens.count <= 4 {
            let familyTokens = tokens.dropLast()
            let looksPersonal = familyTokens.allSatisfy { token in
                let lower = token.lowercased()
                if organisationWords.contains(lower) { return false }
                if particles.contains(lower) { return true }
                guard let first = token.unicodeScalars.first else { return false }
                return first.properties.isUppercase && !token.contains(where: { $0.isNumber || $0 == "&" })
            }
            if looksPersonal {
                var person = Person(given: initials)
                splitParticle(familyTokens.joined(separator: " "), into: &person)
                return person
            }
        }
        return Person(literal: text)
    }

    /// Whether a database name (`DB`, `DP`) names PubMed or MEDLINE, in any letter case. Searched on the bytes (a
    /// String `contains` of a String walks characters, at great cost): in ASCII text each letter is a character
    /// of its own, so the byte search is the answer; other text without the bytes cannot contain the characters,
    /// and with them takes the character search (a letter with a combining mark is not its base letter). The
    /// reader and the writer decide alike where a bare `AN` number is a PMID.
    static func namesPubMedOrMedline(_ name: String) -> Bool {
        let ascii = name.utf8.allSatisfy { $0 < 0x80 }
        if name.containsASCIICaseInsensitive("pubmed"), ascii || name.lowercased().contains("pubmed") { return true }
        return name.containsASCIICaseInsensitive("medline") && (ascii || name.lowercased().contains("medline"))
    }

    /// `Family, Given` read on the bytes: the common form of an RIS name, with one comma, no `;`, single ASCII
    /// spaces and no other white space or control character. It gives what ``person(_:)``'s general reading gives
    /// (RISValueFastPathTests compares them), without its passes over the string; nil means "not decided here".
    static func commaPerson(_ raw: String) -> Person? {
        raw.withUTF8Bytes { commaPerson(bytes: $0) }
    }

    /// ``commaPerson(_:)`` on the UTF-8 bytes of the name, which must be well-formed (every caller passes a
    /// String's bytes or a stored value's): the two parts, cut beside ASCII bytes, are made into Strings without
    /// a second validation.
    static func commaPerson(bytes: UnsafeBufferPointer<UInt8>) -> Person? {
        guard let split = plainCommaSplit(bytes) else { return nil }
        let familyBytes = UnsafeBufferPointer(rebasing: bytes[..<split.familyEnd])
        let givenBytes = UnsafeBufferPointer(rebasing: bytes[split.givenStart...])
        let parts = (
            family: UTF8Strings.string(validUTF8: familyBytes, ascii: RISScanner.isASCII(familyBytes)),
            given: UTF8Strings.string(validUTF8: givenBytes, ascii: RISScanner.isASCII(givenBytes)),
            mayHaveParticle: mayStartWithParticle(familyBytes)
        )
        guard parts.mayHaveParticle else {
            // What ``splitParticle(_:into:)`` gives for a family name it keeps whole, without its passes.
            return Person(family: parts.family, given: parts.given)
        }
        var person = Person()
        person.given = parts.given
        splitParticle(parts.family, into: &person)
        return person
    }

    /// False when ``splitParticle(_:into:)`` keeps the family name whole by its first test: no space in the
    /// bytes, or a first byte other than a space that is no ASCII lower-case letter or apostrophe. True means
    /// "maybe": the full test decides.
    @inline(__always)
    static func mayStartWithParticle(_ family: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = family.first else { return false }
        if first != 0x20 && !((first >= 0x61 && first <= 0x7A) || first == 0x27) { return false }
        return family.contains(0x20)
    }

    /// Where a name in the plain `Family, Given` form splits (``commaPerson(_:)``): the end of the family name and
    /// the start of the given names, as byte offsets; nil for any other form.
    static func plainCommaSplit(_ bytes: UnsafeBufferPointer<UInt8>) -> (familyEnd: Int, givenStart: Int)? {
        let count = bytes.count
        guard count >= 3 else { return nil }
        var comma = -1
        var previous: UInt8 = 0x20  // so that a leading space is not decided here
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte < 0x20 || byte == 0x7F || byte == 0x3B || (byte == 0x20 && previous == 0x20) { return nil }
                if byte == 0x2C {
                    if comma >= 0 { return nil }
                    comma = index
                }
            } else if byte == 0xC2 || byte == 0xE1 || byte == 0xE2 || byte == 0xE3, isWhiteSpace(bytes, at: index) {
                // A non-ASCII White_Space scalar (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029,
                // U+202F, U+205F, U+3000): left to the general reading. Other scalars with these lead bytes
                // (`ễ`, `‐`, kana) are read here.
                return nil
            }
            previous = byte
            index += 1
        }
        guard comma > 0, previous != 0x20, previous != 0x2C else { return nil }
        let familyEnd = bytes[comma - 1] == 0x20 ? comma - 1 : comma
        let givenStart = bytes[comma + 1] == 0x20 ? comma + 2 : comma + 1
        guard familyEnd > 0, givenStart < count else { return nil }
        return (familyEnd, givenStart)
    }

    /// Whether the well-formed UTF-8 at `index` starts a non-ASCII White_Space scalar: U+0085 and U+00A0 (C2 85,
    /// C2 A0), U+1680 (E1 9A 80), U+2000–U+200A (E2 80 80–8A), U+2028/9 (E2 80 A8/A9), U+202F (E2 80 AF), U+205F
    /// (E2 81 9F), U+3000 (E3 80 80). A sequence cut short by the end of the bytes answers true (not decided).
    @inline(__always)
    static func isWhiteSpace(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let count = bytes.count
        let lead = bytes[index]
        guard index + 1 < count else { return true }
        let second = bytes[index + 1]
        if lead == 0xC2 { return second == 0x85 || second == 0xA0 }
        guard index + 2 < count else { return true }
        let third = bytes[index + 2]
        switch lead {
        case 0xE1: return second == 0x9A && third == 0x80
        case 0xE2:
            if second == 0x80 { return third <= 0x8A || third == 0xA8 || third == 0xA9 || third == 0xAF }
            return second == 0x81 && third == 0x9F
        case 0xE3: return second == 0x80 && third == 0x80
        default: return false
        }
    }

    /// PubMed/Ovid initials: `J`, `JA`, `J.A.`, `J-P`, at most four letters, all upper case.
    static func isInitials(_ token: String) -> Bool {
        var letters = 0
        for scalar in token.unicodeScalars {
            if scalar == "." || scalar == "-" { continue }
            guard scalar.properties.isUppercase else { return false }
            letters += 1
        }
        return (1...4).contains(letters)
    }

    /// Moves leading lower-case particles of a family name into `particle`: `van der Berg` → `van der` + `Berg`.
    ///
    /// Read on the bytes: the words are the runs between ASCII spaces, a particle (all ASCII) is matched on its
    /// bytes, and the two parts are made as strings once each. It gives what ``splitParticleSlowly(_:into:)``
    /// (the reading on an array of word strings, kept as the reference) gives.
    static func splitParticle(_ family: String, into person: inout Person) {
        guard family.containsByte(0x20), let first = family.utf8.first(where: { $0 != 0x20 }),
            (first >= 0x61 && first <= 0x7A) || first == 0x27
        else {
            person.family = family
            return
        }
        let split = family.withUTF8Bytes { bytes -> (particle: String, family: String)? in
            // The words' byte ranges, at most as many as the particles that can precede a last word, plus two.
            var words: [Range<Int>] = []
            words.reserveCapacity(8)
            var index = 0
            let count = bytes.count
            while index < count {
                while index < count, bytes[index] == 0x20 { index += 1 }
                if index == count { break }
                let start = index
                while index < count, bytes[index] != 0x20 { index += 1 }
                words.append(start..<index)
            }
            var particles = 0
            while particles < words.count - 1,
                isParticle(UnsafeBufferPointer(rebasing: bytes[words[particles]]))
            {
                particles += 1
            }
            guard particles > 0 else { return nil }
            let next = words[particles]
            let lead = bytes[next.lowerBound]
            if lead < 0x80 {
                guard lead >= 0x41 && lead <= 0x5A else { return nil }
            } else {
                let word = UTF8Strings.string(UnsafeBufferPointer(rebasing: bytes[next]))
                guard let scalar = word.unicodeScalars.first, scalar.properties.isUppercase else { return nil }
            }
            return (joinWords(bytes, words[..<particles]), joinWords(bytes, words[particles...]))
        }
        if let split {
            person.particle = split.particle
            person.family = split.family
        } else {
            person.family = family
        }
    }

    /// The words (byte ranges of `bytes`) joined by one space, as one string: the bytes themselves when the
    /// words stand one space apart.
    private static func joinWords(_ bytes: UnsafeBufferPointer<UInt8>, _ words: ArraySlice<Range<Int>>) -> String {
        guard let first = words.first, let last = words.last else { return "" }
        if last.upperBound - first.lowerBound
            == words.reduce(0, { $0 + $1.count }) + words.count - 1
        {
            return UTF8Strings.string(UnsafeBufferPointer(rebasing: bytes[first.lowerBound..<last.upperBound]))
        }
        var joined: [UInt8] = []
        joined.reserveCapacity(last.upperBound - first.lowerBound)
        for word in words {
            if !joined.isEmpty { joined.append(0x20) }
            joined.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[word]))
        }
        return joined.withUnsafeBufferPointer { UTF8Strings.string($0) }
    }

    /// ``particles`` as bytes, for ``isParticle(_:)``.
    private static let particleBytes: [[UInt8]] = particles.map { Array($0.utf8) }
    private static let longestParticle = particleBytes.map(\.count).max() ?? 0

    /// True when the bytes are one of ``particles`` (all of them ASCII; compared byte for byte).
    private static func isParticle(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard word.count <= longestParticle else { return false }
        for particle in particleBytes where particle.count == word.count {
            var index = 0
            while index < word.count, particle[index] == word[index] { index += 1 }
            if index == word.count { return true }
        }
        return false
    }

    /// The original ``splitParticle(_:into:)``, over an array of word strings: the reference the byte reading is
    /// tested against.
    static func splitParticleSlowly(_ family: String, into person: inout Person) {
        // Every particle starts with an ASCII lower-case letter or an apostrophe, and the first word (after any
        // spaces, which the split below skips) must be one for any to be split off: a family name starting
        // otherwise (`García Márquez`) is whole.
        guard family.containsByte(0x20), let first = family.utf8.first(where: { $0 != 0x20 }),
            (first >= 0x61 && first <= 0x7A) || first == 0x27
        else {
            person.family = family
            return
        }
        let words = family.splitASCII(0x20).map(String.init)
        var count = 0
        while count < words.count - 1, particles.contains(words[count]) { count += 1 }
        if count > 0, let first = words[count].unicodeScalars.first, first.properties.isUppercase {
            person.particle = words[..<count].joined(separator: " ")
            person.family = words[count...].joined(separator: " ")
        } else {
            person.family = family
        }
    }

    /// A person as one RIS name line: `family, given, suffix` (particle kept before the family), or the literal.
    static func risName(_ person: Person) -> String {
        if let literal = person.literal, person.family == nil { return literal }
        var text = person.familyWithParticle ?? ""
        var given = person.given ?? ""
        if let dropping = person.droppingParticle, !dropping.isEmpty {
            given = given.isEmpty ? dropping : given + " " + dropping
        }
        if !given.isEmpty || (person.suffix ?? "").isEmpty == false { text += ", " + given }
        if let suffix = person.suffix, !suffix.isEmpty { text += ", " + suffix }
        return text
    }

    // MARK: Text

    /// True when the UTF-8 text has no white space to trim or collapse: no control character, no space at
    /// either end, no two spaces in a row, and no non-ASCII white space (checked on bytes, the common case).
    @inline(__always)
    static func isCompact(_ text: String) -> Bool {
        text.withUTF8Bytes { isCompact(bytes: $0) }
    }

    /// ``isCompact(_:)`` on UTF-8 bytes.
    @inline(__always)
    static func isCompact(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previousSpace = true
        var sawNonASCII = false
        var index = 0
        if let base = bytes.baseAddress {
            // Eight ASCII bytes at a time: no control character, no two spaces in a row (also across words),
            // no leading space. A word with a non-ASCII byte goes to the byte loop.
            while index + 8 <= bytes.count {
                let word = ByteWord.load(base, index)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                // An ASCII byte below 0x20 has neither bit 5 nor bit 6.
                if ByteWord.zeroBytes(word & 0x6060_6060_6060_6060) != 0 { return false }
                let spaces = ByteWord.zeroBytes(word ^ ByteWord.repeating(0x20))
                if spaces & (spaces >> 8) != 0 || (previousSpace && spaces & 0x80 != 0) { return false }
                previousSpace = spaces >> 63 != 0
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte < 0x20 { return false }
            if byte == 0x20 {
                if previousSpace { return false }
                previousSpace = true
            } else {
                previousSpace = false
                if byte >= 0x80 { sawNonASCII = true }
            }
        }
        if previousSpace && !bytes.isEmpty { return false }
        if sawNonASCII {
            // The non-ASCII white space (Unicode White_Space): U+0085 (C2 85), NBSP (C2 A0), U+1680
            // (E1 9A 80), U+2000–U+200A (E2 80 80–8A), U+2028/9 (E2 80 A8/A9), U+202F (E2 80 AF), U+205F
            // (E2 81 9F), U+3000 (E3 80 80). Any of them takes the slow path.
            var a: UInt8 = 0
            var b: UInt8 = 0
            for c in bytes {
                if b == 0xC2, c == 0x85 || c == 0xA0 { return false }
                if a == 0xE1, b == 0x9A, c == 0x80 { return false }
                if a == 0xE2, b == 0x80, c <= 0x8A || c == 0xA8 || c == 0xA9 || c == 0xAF { return false }
                if a == 0xE2, b == 0x81, c == 0x9F { return false }
                if a == 0xE3, b == 0x80, c == 0x80 { return false }
                a = b
                b = c
            }
        }
        return true
    }

    /// Runs of white space (including line breaks) collapsed to one space, trimmed.
    static func collapseSpaces(_ text: String) -> String {
        if isCompact(text) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.unicodeScalars.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Continuation lines of a long text joined: a line that ends a sentence (`.`, `?`, `!`, `:`) or a blank
    /// line starts a new paragraph (`\n`); any other line break was a wrap and becomes one space.
    static func paragraphs(_ lines: [String]) -> String {
        var result = ""
        var breakNext = false
        for line in lines {
            if line.isEmpty {
                breakNext = true
                continue
            }
            if !result.isEmpty {
                if breakNext {
                    result += "\n"
                } else if let last = result.last, ".?!:".contains(last) {
                    result += "\n"
                } else {
                    result += " "
                }
            }
            result += line
            breakNext = false
        }
        return result
    }

    // MARK: Dates

    /// A date read from a tagged value.
    enum ParsedDate: Equatable {
        /// A date with at least a year; `other` is the RIS fourth part when it is not a season.
        case date(EDTFDate, other: String?)
        /// Month and/or day without a year (`DA  - May 15`, `DA  - /05/15/`), to be completed from `PY`.
        case partial(month: Int?, day: Int?)
        /// Nothing but slashes, `0000` or blanks.
        case empty
        /// Text with no date form.
        case literal(String)
    }

    static let monthNames: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
        "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
        "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    ]

    static let seasonNames: [String: Int] = [
        "spring": 21, "spr": 21, "summer": 22, "sum": 22, "autumn": 23, "fall": 23, "aut": 23, "winter": 24,
        "win": 24,
    ]

    /// Parses the RIS date grammar `YYYY/MM/DD/other` and its partial forms (`2019/03//`, `2024///`,
    /// `1998///Spring`, `2010/00/00`), EDTF and ISO dates (`2023-10-24`), year ranges (`1984 - 1985`), and dates
    /// written with month or season names (`May 15`, `2019 May-Jun`, `Spring 2019`, `15 May 2019`).
    static func date(_ raw: String) -> ParsedDate {
        if let fast = plainDate(raw) { return fast }
        return generalDate(raw)
    }

    /// The two forms most exports write, read on bytes: `YYYY` and `YYYY/MM/DD` with empty or `00` parts and an
    /// optional trailing slash (`2020`, `2020/10//`, `2020/05/17/`, `2024///`). Nil for anything else (and for
    /// a month or day out of range, or the year 0), which ``generalDate(_:)`` then reads; for these forms the
    /// two give the same answer (EDTF reads neither `YYYY/MM/…` nor more, so the RIS slash grammar decides).
    static func plainDate(_ raw: String) -> ParsedDate? {
        raw.withUTF8Bytes { bytes -> ParsedDate? in
            let count = bytes.count
            guard count >= 4 else { return nil }
            func digit(_ index: Int) -> Int? {
                let byte = bytes[index]
                return byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
            }
            guard let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3) else { return nil }
            let year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
            guard year != 0 else { return nil }
            if count == 4 { return .date(EDTFDate(year: year), other: nil) }
            guard bytes[4] == 0x2F else { return nil }
            // The month: empty or two digits, then a slash.
            var index = 5
            var month: Int?
            if index + 1 < count, let m0 = digit(index), let m1 = digit(index + 1) {
                month = m0 * 10 + m1
                index += 2
            }
            guard index < count, bytes[index] == 0x2F else { return nil }
            index += 1
            var day: Int?
            if index + 1 < count, let d0 = digit(index), let d1 = digit(index + 1) {
                day = d0 * 10 + d1
                index += 2
            }
            if index < count {
                guard bytes[index] == 0x2F, index + 1 == count else { return nil }
            }
            if let value = month {
                guard value <= 12 else { return nil }
                if value == 0 { month = nil }
            }
            if let value = day {
                guard value <= 31 else { return nil }
                if value == 0 { day = nil }
            }
            // A day only goes with a month.
            if month == nil { day = nil }
            return .date(EDTFDate(year: year, month: month, day: day), other: nil)
        }
    }

    /// ``date(_:)`` by the general grammar (any text).
    static func generalDate(_ raw: String) -> ParsedDate {
        let text = raw.trimmed
        if text.isEmpty || text.allSatisfy({ $0 == "/" || $0 == " " }) { return .empty }
        if text == "0000" || text.hasPrefix("0000/") { return .empty }
        if let edtf = EDTFDate(edtf: text), edtf.year != 0 { return .date(edtf, other: nil) }
        if let slashed = risSlashDate(text) { return slashed }
        if let range = yearRange(text) { return .date(range, other: nil) }
        if let named = namedDate(text) { return named }
        return .literal(text)
    }

    private static func risSlashDate(_ text: String) -> ParsedDate? {
        guard text.contains("/") else { return nil }
        let parts = text.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).map {
            $0.trimmed
        }
        func number(_ part: String, _ range: ClosedRange<Int>) -> Int?? {
            if part.isEmpty { return .some(nil) }
            guard part.count <= 4, part.allSatisfy(\.isASCIIDigitCharacter), let value = Int(part) else { return nil }
            if value == 0 { return .some(nil) }
            return range.contains(value) ? .some(value) : nil
        }
        let yearPart = parts[0]
        let year: Int?
        if yearPart.isEmpty {
            year = nil
        } else {
            guard yearPart.count == 4, yearPart.allSatisfy(\.isASCIIDigitCharacter), let value = Int(yearPart) else {
                return nil
            }
            year = value == 0 ? nil : value
        }
        let monthPart = parts.count > 1 ? parts[1] : ""
        // `2015/october`: a month name where the number belongs.
        let namedMonth = monthNames[monthPart.lowercased()] ?? seasonNames[monthPart.lowercased()]
        guard let monthValue = namedMonth.map({ Optional($0) }) ?? number(monthPart, 1...12),
            let dayValue = number(parts.count > 2 ? parts[2] : "", 1...31)
        else { return nil }
        var month = monthValue
        // A day only goes with a calendar month (not with a season).
        let day = (month ?? 99) > 12 ? nil : dayValue
        var other = parts.count > 3 ? parts[3] : ""
        if month == nil, let season = seasonNames[other.lowercased()] {
            month = season
            other = ""
        }
        guard let year else {
            if month == nil && day == nil { return other.isEmpty ? .empty : .literal(other) }
            return .partial(month: month, day: day)
        }
        let date = EDTFDate(year: year, month: month, day: day)
        return .date(date, other: other.isEmpty ? nil : other)
    }

    private static func yearRange(_ text: String) -> EDTFDate? {
        let pieces = text.split(whereSeparator: { $0 == "-" || $0 == "–" || $0 == "/" }).map { $0.trimmed }
        guard pieces.count == 2, pieces.allSatisfy({ $0.count == 4 && $0.allSatisfy(\.isASCIIDigitCharacter) }),
            let first = Int(pieces[0]), let second = Int(pieces[1]), first <= second, first > 0
        else { return nil }
        return EDTFDate(start: .init(year: first), end: .init(year: second))
    }

    /// Dates made of words and numbers: `2019 May 15`, `May 15`, `15 May 2019`, `2019 May-Jun`, `Spring 2019`,
    /// `2018 Dec-2019 Jan`.
    static func namedDate(_ text: String) -> ParsedDate? {
        var tokens: [Substring] = []
        var current = Substring()
        var start = text.startIndex
        for index in text.indices {
            let char = text[index]
            if char == " " || char == "," || char == "-" || char == "–" || char == "." {
                if !current.isEmpty { tokens.append(current) }
                if char == "-" || char == "–" { tokens.append("-") }
                start = text.index(after: index)
                current = text[start..<start]
            } else {
                current = text[start...index]
            }
        }
        if !current.isEmpty { tokens.append(current) }
        guard !tokens.isEmpty, tokens.count <= 8 else { return nil }
        var points: [(year: Int?, month: Int?, day: Int?)] = [(nil, nil, nil)]
        var sawName = false
        for token in tokens {
            if token == "-" {
                points.append((nil, nil, nil))
                continue
            }
            let lower = token.lowercased()
            var point = points[points.count - 1]
            if let month = monthNames[lower] ?? seasonNames[lower] {
                if point.month != nil { return nil }
                point.month = month
                sawName = true
            } else if token.allSatisfy(\.isASCIIDigitCharacter), let value = Int(token) {
                if token.count == 4 {
                    if point.year != nil { return nil }
                    point.year = value
                } else if token.count <= 2, (1...31).contains(value), point.day == nil {
                    point.day = value
                } else {
                    return nil
                }
            } else {
                return nil
            }
            points[points.count - 1] = point
        }
        guard sawName, points.count <= 2 else { return nil }
        // A range inherits the year from whichever side has one.
        if points.count == 2 {
            if points[0].year == nil { points[0].year = points[1].year }
            if points[1].year == nil { points[1].year = points[0].year }
        }
        func point(_ parts: (year: Int?, month: Int?, day: Int?)) -> EDTFDate.Point? {
            guard let year = parts.year else { return nil }
            let day = (parts.month ?? 99) <= 12 ? parts.day : nil
            return EDTFDate.Point(year: year, month: parts.month, day: parts.month == nil ? nil : day)
        }
        if points.count == 2 {
            guard let first = point(points[0]), let second = point(points[1]) else { return nil }
            return .date(EDTFDate(start: first, end: second), other: nil)
        }
        guard let single = point(points[0]) else {
            let month = points[0].month
            return .partial(month: month, day: (month ?? 99) <= 12 ? points[0].day : nil)
        }
        return .date(EDTFDate(start: single), other: nil)
    }

    /// A year as four digits (`0950`), with a minus sign before the year 0.
    static func yearText(_ year: Int) -> String {
        let magnitude = String(abs(year))
        let padded = String(repeating: "0", count: max(0, 4 - magnitude.count)) + magnitude
        return year < 0 ? "-" + padded : padded
    }

    /// A date in the RIS form `YYYY/MM/DD/other`, with a season in the fourth part.
    static func risDate(_ date: EDTFDate) -> String? {
        guard !date.isLiteral, let start = date.start ?? date.end else { return nil }
        let year = yearText(start.year)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if let season = start.season {
            return year + "///" + ["Spring", "Summer", "Autumn", "Winter"][season - 1]
        }
        let month = start.month.map(two) ?? ""
        let day = start.day.map(two) ?? ""
        return "\(year)/\(month)/\(day)/"
    }

    /// True when `other` is consistent with `chosen`: the same date, or a less precise form of it.
    static func agrees(_ other: EDTFDate, with chosen: EDTFDate) -> Bool {
        if other == chosen { return true }
        guard !other.isInterval, !chosen.isInterval, let a = other.start, let b = chosen.start else {
            return other.description == chosen.description
        }
        guard a.year == b.year else { return false }
        if let month = a.month, month != b.month { return false }
        if let day = a.day, day != b.day { return false }
        return true
    }

    /// True when `other` has the same year and is strictly more precise than `chosen`.
    static func refines(_ other: EDTFDate, _ chosen: EDTFDate) -> Bool {
        guard !other.isInterval, !chosen.isInterval, !chosen.approximate, let a = other.start,
            let b = chosen.start, a.year == b.year
        else { return false }
        if b.month == nil { return a.month != nil }
        if a.month == b.month, b.day == nil { return a.day != nil }
        return false
    }

    // MARK: Pages

    /// A page value with any dash between the first and last page written as one hyphen.
    static func normalizePages(_ raw: String) -> String {
        var text = collapseSpaces(raw)
        // Only text with a non-ASCII character or a double hyphen can hold a dash to rewrite.
        var previousHyphen = false
        var plain = true
        for byte in text.utf8 {
            if byte >= 0x80 || (byte == 0x2D && previousHyphen) || byte == 0x20 { plain = false; break }
            previousHyphen = byte == 0x2D
        }
        if plain { return text }
        for dash in ["--", "–", "—", "‐", "‑", "−"] where text.contains(dash) {
            text = text.replacingAll(dash, with: "-")
        }
        if text.contains(" - ") { text = text.replacingAll(" - ", with: "-") }
        return text
    }

    /// The first and last page of a simple range (`804-811`, `S12-S19`, `1209-19`); nil for one page or a list.
    static func pageRange(_ pages: String) -> (first: String, last: String)? {
        let ascii: (first: Range<Int>, last: Range<Int>)?? = pages.withUTF8Bytes { bytes in
            var dash = -1
            for index in 0..<bytes.count {
                let byte = bytes[index]
                // Text with a non-ASCII byte takes the Character reading below (a mark may join a hyphen).
                if byte >= 0x80 { return .none }
                if byte == 0x2C || byte == 0x3B { return .some(nil) }
                if byte == 0x2D {
                    if dash >= 0 { return .some(nil) }
                    dash = index
                }
            }
            guard dash >= 0 else { return .some(nil) }
            // Each side trimmed of white space (ASCII has no other) and holding no space.
            func side(_ range: Range<Int>) -> Range<Int>? {
                var start = range.lowerBound
                var end = range.upperBound
                func isWhiteSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
                while start < end, isWhiteSpace(bytes[start]) { start += 1 }
                while end > start, isWhiteSpace(bytes[end - 1]) { end -= 1 }
                guard start < end, !bytes[start..<end].contains(0x20) else { return nil }
                return start..<end
            }
            guard let first = side(0..<dash), let last = side((dash + 1)..<bytes.count) else { return .some(nil) }
            return .some((first, last))
        }
        if let ascii {
            guard let ranges = ascii else { return nil }
            let utf8 = pages.utf8
            func text(_ range: Range<Int>) -> String {
                String(pages[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)])
            }
            return (text(ranges.first), text(ranges.last))
        }
        return pageRangeSlowly(pages)
    }

    /// ``pageRange(_:)`` by Characters (any text): the reference its byte reading of ASCII text is tested against.
    static func pageRangeSlowly(_ pages: String) -> (first: String, last: String)? {
        guard !pages.containsByte(0x2C), !pages.containsByte(0x3B) else { return nil }
        let parts = pages.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let first = parts[0].trimmed
        let last = parts[1].trimmed
        guard !first.isEmpty, !last.isEmpty, !first.contains(" "), !last.contains(" ") else { return nil }
        return (first, last)
    }

    // MARK: Identifiers

    /// A DOI when `text` is one on its own: bare, `doi:`/`DOI ` prefixed, or a doi.org URL (never a DOI buried in
    /// a longer text or another site's query string).
    static func standaloneDOI(_ text: String) -> String? {
        guard text.utf8.count >= 7, containsDOIStart(text) else { return nil }
        let trimmed = text.trimmed
        let lower = trimmed.lowercased()
        var body = Substring(trimmed)
        if lower.hasPrefix("doi:") {
            body = body.dropFirst(4)
        } else if lower.hasPrefix("doi ") {
            body = body.dropFirst(4)
        } else if let host = doiURLPrefix(lower) {
            body = body.dropFirst(host)
        }
        let candidate = body.trimmed
        guard candidate.hasPrefix("10."), !containsASCIICharacter(candidate, 0x20),
            let doi = Identifiers.normalizeDOI(candidate), isValidDOI(doi)
        else { return nil }
        return doi
    }

    /// ``Identifiers/isValidDOI(_:)``, decided on the bytes for ASCII text (where a byte is a character, but for
    /// `\r\n`, which is white space either way); other text goes to the general check.
    static func isValidDOI(_ text: String) -> Bool {
        let answer: Bool? = text.withUTF8Bytes { bytes in
            let count = bytes.count
            guard count >= 3, bytes[0] == 0x31, bytes[1] == 0x30, bytes[2] == 0x2E else { return false }
            var index = 3
            var slash = -1
            while index < count {
                let byte = bytes[index]
                if byte >= 0x80 { return nil }
                if slash < 0 {
                    if byte == 0x2F {
                        slash = index
                    } else if !(byte &- 0x30 < 10 || byte == 0x2E) {
                        // Not a registrant character: invalid, unless a later byte is not ASCII (then unsure).
                        for later in bytes[index...] where later >= 0x80 { return nil }
                        return false
                    }
                } else if (byte >= 0x09 && byte <= 0x0D) || byte == 0x20 {
                    for later in bytes[index...] where later >= 0x80 { return nil }
                    return false
                }
                index += 1
            }
            return slash > 3 && bytes[3] &- 0x30 < 10 && slash < count - 1
        }
        return answer ?? Identifiers.isValidDOI(text)
    }

    /// True when the UTF-8 text contains `10.` (every DOI does), on the bytes without a needle array.
    @inline(__always)
    static func containsDOIStart(_ text: String) -> Bool {
        text.withUTF8Bytes { bytes in
            guard bytes.count >= 3 else { return false }
            var index = 0
            let end = bytes.count - 2
            while index < end {
                if bytes[index] == 0x31, bytes[index + 1] == 0x30, bytes[index + 2] == 0x2E { return true }
                index += 1
            }
            return false
        }
    }

    /// The length of a doi.org resolver prefix, when `lower` starts with one.
    static func doiURLPrefix(_ lower: String) -> Int? {
        for prefix in [
            "https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi.org/",
            "dx.doi.org/", "https://www.doi.org/", "http://www.doi.org/",
        ] where lower.hasPrefix(prefix) {
            return prefix.count
        }
        return nil
    }

    /// A DOI from a `DO` value: the value may carry a resolver prefix, `doi:`, trailing punctuation or text after
    /// the DOI; the result must have the shape of a DOI.
    static func doiFromDOTag(_ text: String) -> String? {
        guard let doi = Identifiers.normalizeDOI(text), isValidDOI(doi) else { return nil }
        return doi
    }

    /// A PubMed id written on its own: `12345`, `PMID: 12345`, `PMID 12345`, `12345[pmid]`, `PUBMED 12345`.
    static func standalonePMID(_ text: String, bareDigits: Bool) -> String? {
        guard text.utf8.count <= 40, mayHoldPMID(text, bareDigits: bareDigits) else { return nil }
        var value = Substring(text.trimmed)
        let lower = value.lowercased()
        var marked = false
        for prefix in ["pmid:", "pmid", "pubmed:", "pubmed"] where lower.hasPrefix(prefix) {
            value = value.dropFirst(prefix.count)
            marked = true
            break
        }
        if value.lowercased().hasSuffix("[pmid]") {
            value = value.dropLast(6)
            marked = true
        }
        let digits = value.trimmed
        guard marked || bareDigits, Identifiers.isValidPMID(digits) else { return nil }
        return digits
    }

    /// False when ``standalonePMID(_:bareDigits:)`` cannot find a PMID, decided on the bytes before any String
    /// work: a PMID has an ASCII digit, and without `bareDigits` the value must name `pmid` or `pubmed` (in any
    /// ASCII letter case: no other scalar lower-cases to one of those letters alone).
    @inline(__always)
    static func mayHoldPMID(_ text: String, bareDigits: Bool) -> Bool {
        text.withUTF8Bytes { bytes in
            var digit = false
            var marker = bareDigits
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte &- 0x30 < 10 {
                    digit = true
                } else if !marker, byte | 0x20 == 0x70, index + 3 < count {
                    // `pmid` or `pubmed`
                    let b1 = bytes[index + 1] | 0x20
                    if b1 == 0x6D, bytes[index + 2] | 0x20 == 0x69, bytes[index + 3] | 0x20 == 0x64 {
                        marker = true
                    } else if b1 == 0x75, index + 5 < count, bytes[index + 2] | 0x20 == 0x62,
                        bytes[index + 3] | 0x20 == 0x6D, bytes[index + 4] | 0x20 == 0x65, bytes[index + 5] | 0x20 == 0x64
                    {
                        marker = true
                    }
                }
                if digit && marker { return true }
                index += 1
            }
            return false
        }
    }

    /// Whether the text contains the ASCII character `byte`, on the bytes when the text is ASCII (each byte is then
    /// a character of its own, `\r\n` aside, which holds neither `-` nor a space); a non-ASCII text with the byte
    /// takes the character test (the byte may carry a combining mark).
    static func containsASCIICharacter(_ text: String, _ byte: UInt8) -> Bool {
        let (found, ascii): (Bool, Bool) = text.withUTF8Bytes { bytes in
            var found = false
            var any: UInt8 = 0
            for value in bytes {
                if value == byte { found = true }
                any |= value
            }
            return (found, any < 0x80)
        }
        if !found { return false }
        return ascii || text.contains(Character(Unicode.Scalar(byte)))
    }

    /// A PubMed Central id written on its own: `PMC123`, `PMCID: PMC123`, `PMC123[pmcid]`.
    static func standalonePMCID(_ text: String) -> String? {
        if Identifiers.isStoredPMCID(text) { return text }
        guard text.utf8.count <= 40, text.containsASCIICaseInsensitive("pmc") else { return nil }
        var value = Substring(text.trimmed)
        if value.lowercased().hasSuffix("[pmcid]") { value = value.dropLast(7) }
        if value.lowercased().hasSuffix("[pmc]") { value = value.dropLast(5) }
        let trimmed = value.trimmed
        guard trimmed.uppercased().hasPrefix("PMC") else { return nil }
        return Identifiers.normalizePMCID(trimmed)
    }

    /// A PubMed id named inside a longer value: `PUBMED 38407106,EMBASE 643589775`.
    static func embeddedPMID(_ text: String) -> String? {
        guard text.containsASCIICaseInsensitive("pmid") || text.containsASCIICaseInsensitive("pubmed") else { return nil }
        let upper = text.uppercased()
        for marker in ["PUBMED ", "PMID: ", "PMID:", "PMID "] {
            guard let range = upper.firstRange(of: marker) else { continue }
            let rest = upper[range.upperBound...].prefix(while: \.isASCIIDigitCharacter)
            if Identifiers.isValidPMID(String(rest)) { return String(rest) }
        }
        return nil
    }

    /// ISSNs and ISBNs in an `SN` value (`1932-8494; 1932-8486`, `2325-9671 (electronic)`,
    /// `978-1-4822-5326-9`); `rest` holds what has neither shape.
    static func serialNumbers(_ text: String) -> (issn: [String], isbn: [String], rest: [String]) {
        if isSingleToken(text) {
            // One token (`1932-8494`): what the general path below gives for it, without splitting.
            if let value = issnShape(text) { return ([value], [], []) }
            if isbnShape(text) { return ([], [text], []) }
            return ([], [], [text])
        }
        return generalSerialNumbers(text)
    }

    /// ``serialNumbers(_:)`` by the general split (any text).
    static func generalSerialNumbers(_ text: String) -> (issn: [String], isbn: [String], rest: [String]) {
        var issn: [String] = []
        var isbn: [String] = []
        var rest: [String] = []
        let pieces = text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "\n" }).map { $0.trimmed }
        for piece in pieces where !piece.isEmpty {
            // Drop a qualifier such as "(Print)" or "(electronic)".
            var core = piece
            if let paren = core.firstIndex(of: "(") { core = core[..<paren].trimmed }
            let tokens = core.split(separator: " ").map(String.init)
            var matchedAll = !tokens.isEmpty
            var found: [(Bool, String)] = []
            for token in tokens {
                if let value = issnShape(token) {
                    found.append((true, value))
                } else if isbnShape(token) {
                    found.append((false, token))
                } else {
                    matchedAll = false
                }
            }
            if !matchedAll, isbnShape(core) {
                isbn.append(core)
                continue
            }
            if matchedAll {
                for (isISSN, value) in found {
                    if isISSN { issn.append(value) } else { isbn.append(value) }
                }
            } else {
                rest.append(piece)
            }
        }
        return (issn, isbn, rest)
    }

    /// True when the general split of ``serialNumbers(_:)`` would leave the text whole: no separator (`;`, `,`,
    /// a line break), no qualifier in parentheses, no space, and printable ASCII at both ends (nothing to trim).
    static func isSingleToken(_ text: String) -> Bool {
        text.withUTF8Bytes { bytes in
            guard let first = bytes.first, let last = bytes.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F
            else { return false }
            for byte in bytes {
                if byte == 0x3B || byte == 0x2C || byte == 0x0A || byte == 0x0D || byte == 0x28 || byte == 0x20 {
                    return false
                }
            }
            return true
        }
    }

    private static func issnShape(_ token: String) -> String? {
        guard mayBeISSN(token), let issn = Identifiers.normalizeISSN(token) else { return nil }
        // `12345678` without a hyphen is accepted only with a right check digit.
        if containsASCIICharacter(token, 0x2D) || Identifiers.isValidISSN(issn) { return issn }
        return nil
    }

    /// False when ``Identifiers/normalizeISSN(_:)`` cannot accept the token, decided on the bytes: ASCII text it
    /// accepts holds exactly eight digits or `X`/`x` (hyphens and white space at the ends aside). Text with a
    /// non-ASCII byte is left to it.
    static func mayBeISSN(_ token: String) -> Bool {
        token.withUTF8Bytes { bytes in
            var count = 0
            for byte in bytes {
                if byte >= 0x80 { return true }
                if byte &- 0x30 < 10 || byte | 0x20 == 0x78 { count += 1 }
            }
            return count == 8
        }
    }

    private static func isbnShape(_ token: String) -> Bool {
        guard let digits = Identifiers.isbnDigits(token) else { return false }
        return containsASCIICharacter(token, 0x2D) || containsASCIICharacter(token, 0x20) || Identifiers.isValidISBN(digits)
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

extension String {
    /// The text split at an ASCII byte, on UTF-8 indices (no grapheme breaking). Empty pieces are dropped
    /// unless `omittingEmpty` is false.
    func splitASCII(_ separator: UInt8, omittingEmpty: Bool = true) -> [Substring] {
        // Find the separators on the bytes, then cut at those offsets (O(1) index moves on native UTF-8).
        var cuts: [Int] = []
        let count = withUTF8Bytes { bytes -> Int in
            for index in 0..<bytes.count where bytes[index] == separator { cuts.append(index) }
            return bytes.count
        }
        if cuts.isEmpty { return omittingEmpty && count == 0 ? [] : [self[...]] }
        var pieces: [Substring] = []
        pieces.reserveCapacity(cuts.count + 1)
        var startOffset = 0
        var start = startIndex
        for cut in cuts {
            let end = utf8.index(start, offsetBy: cut - startOffset)
            if !(omittingEmpty && cut == startOffset) { pieces.append(self[start..<end]) }
            start = utf8.index(after: end)
            startOffset = cut + 1
        }
        if !(omittingEmpty && startOffset == count) { pieces.append(self[start..<endIndex]) }
        return pieces
    }

    /// Runs `body` over the UTF-8 bytes, without a copy where the storage is contiguous (native strings).
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }

    /// The text without leading and trailing white space (see `Substring.trimmed`).
    var trimmed: String { self[...].trimmed }
}

extension Substring {
    /// The text without leading and trailing white space; a byte check answers the common case (ASCII, nothing
    /// to trim) without walking the scalars.
    var trimmed: String {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last else { return "" }
        if first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 { return String(self) }
        if first == 0x20 || last == 0x20 {
            // ASCII spaces at an end (` Given` after a comma) are cut on the bytes; what is left is trimmed as
            // below (each cut byte is a White_Space scalar of its own, so the result is the same).
            var start = bytes.startIndex
            var end = bytes.endIndex
            while start < end, bytes[start] == 0x20 { start = bytes.index(after: start) }
            while start < end, bytes[bytes.index(before: end)] == 0x20 { end = bytes.index(before: end) }
            if start == end { return "" }
            return self[start..<end].trimmedWithoutLeadingSpaceCheck
        }
        return trimmedWithoutLeadingSpaceCheck
    }

    /// ``trimmed`` past its first check.
    private var trimmedWithoutLeadingSpaceCheck: String {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last else { return "" }
        if first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 { return String(self) }
        if let ends = bytes.withContiguousStorageIfAvailable(Self.endsAreNotWhiteSpace), ends { return String(self) }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(self[start...end])
    }
}

extension Substring {
    /// True when neither the first nor the last scalar of the UTF-8 bytes is white space (Unicode White_Space),
    /// decided on the bytes; false also when unsure (a control character), which sends `trimmed` the long way.
    static func endsAreNotWhiteSpace(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        func isWhiteSpaceOrUnsure(at start: Int) -> Bool {
            let lead = bytes[start]
            if lead < 0x80 { return lead <= 0x20 || lead == 0x7F }
            func next(_ offset: Int) -> UInt8 { start + offset < bytes.count ? bytes[start + offset] : 0 }
            switch lead {
            case 0xC2: return next(1) == 0x85 || next(1) == 0xA0
            case 0xE1: return next(1) == 0x9A && next(2) == 0x80
            case 0xE2:
                let b = next(1)
                let c = next(2)
                return (b == 0x80 && (c <= 0x8A || c == 0xA8 || c == 0xA9 || c == 0xAF)) || (b == 0x81 && c == 0x9F)
            case 0xE3: return next(1) == 0x80 && next(2) == 0x80
            case 0x80...0xBF: return true  // not at a scalar start: unsure
            default: return false
            }
        }
        // The last scalar starts at the last byte that is not a continuation byte.
        var lastStart = bytes.count - 1
        while lastStart > 0, bytes[lastStart] & 0xC0 == 0x80, bytes.count - lastStart < 4 { lastStart -= 1 }
        return !isWhiteSpaceOrUnsure(at: 0) && !isWhiteSpaceOrUnsure(at: lastStart)
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
