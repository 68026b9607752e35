/// The bibliographic item type of a resource: the CSL 1.0.2 type list.
///
/// Raw values are the CSL names (`article-journal`, `book`, …), which are also the values used in `smrl-json`.
public enum ItemType: String, CaseIterable, Codable, Sendable, Hashable {
    case article
    case articleJournal = "article-journal"
    case articleMagazine = "article-magazine"
    case articleNewspaper = "article-newspaper"
    case bill
    case book
    case broadcast
    case chapter
    case classic
    case collection
    case dataset
    case document
    case entry
    case entryDictionary = "entry-dictionary"
    case entryEncyclopedia = "entry-encyclopedia"
    case event
    case figure
    case graphic
    case hearing
    case interview
    case legalCase = "legal_case"
    case legislation
    case manuscript
    case map
    case motionPicture = "motion_picture"
    case musicalScore = "musical_score"
    case pamphlet
    case paperConference = "paper-conference"
    case patent
    case performance
    case periodical
    case personalCommunication = "personal_communication"
    case post
    case postWeblog = "post-weblog"
    case regulation
    case report
    case review
    case reviewBook = "review-book"
    case software
    case song
    case speech
    case standard
    case thesis
    case treaty
    case webpage

    /// Looks a type up by its CSL name, ignoring case and accepting `_`/`-` interchangeably (`"Article"`,
    /// `"article_journal"`).
    public init?(lenient name: String) {
        let wanted = ItemType.foldName(name)
        guard let match = ItemType.allCases.first(where: { ItemType.foldName($0.rawValue) == wanted }) else {
            return nil
        }
        self = match
    }

    private static func foldName(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { $0 != "-" && $0 != "_" && $0 != " " })
    }
}
