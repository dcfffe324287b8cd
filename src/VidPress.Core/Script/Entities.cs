using System.Text.RegularExpressions;

namespace VidPress.Core.Script;

/// <summary>A person, organisation or place named in a sentence, as the article calls it.</summary>
public readonly record struct NamedEntity(string Text, AnchorKind Kind);

/// <summary>
/// Finds people, organisations and places. Chinese uses jieba's part-of-speech tags (nr person, ns place,
/// nt organisation). English has no tagger here, so it reads capitalisation the way a sub-editor would:
/// capitalised runs of words, honorifics and job titles before names, organisation words (Inc., Ministry,
/// University, Council) and a small gazetteer of places; a lone capitalised word opening a sentence is
/// only a name when the article names it elsewhere.
/// </summary>
public static partial class Entities
{
    public static IReadOnlyList<NamedEntity> Find(string sentence, string language, IReadOnlyCollection<NamedEntity>? known = null) =>
        language == Languages.Chinese ? FindChinese(sentence) : FindEnglish(sentence, known ?? []);

    // ---- Chinese ----

    private static readonly string[] ChineseOrgSuffixes =
    [
        "大学", "学院", "公司", "集团", "银行", "委员会", "协会", "研究院", "研究所", "医院", "法院", "检察院", "政府", "组织", "基金会",
        "部", "局", "署", "厅", "办公室", "中心", "联盟", "议会", "党", "交易所", "学校", "中学", "小学",
    ];

    internal static IReadOnlyList<NamedEntity> FindChinese(string sentence)
    {
        var words = Words.TagChinese(sentence);
        var found = new List<NamedEntity>();
        for (var i = 0; i < words.Count; i++)
        {
            var (word, tag) = (words[i].Word, words[i].Tag ?? "");
            if (word.Length < 2 || !word.Any(Languages.IsCjk)) continue;
            // "深圳/ns 大学/n" and "华为/nz 公司/n": a name followed by an organisation word is that organisation.
            if (i + 1 < words.Count && tag is "ns" or "nz" or "nr" or "nt" or "j" && ChineseOrgSuffixes.Contains(words[i + 1].Word))
            {
                found.Add(new NamedEntity(word + words[i + 1].Word, AnchorKind.Organisation));
                i++;
                continue;
            }
            AnchorKind? kind = tag switch
            {
                "nr" or "nrfg" or "nrt" => AnchorKind.Person,
                "ns" => AnchorKind.Place,
                "nt" => AnchorKind.Organisation,
                _ when tag.StartsWith('n') && word.Length > 3 && ChineseOrgSuffixes.Any(s => word.EndsWith(s, StringComparison.Ordinal)) => AnchorKind.Organisation,
                _ => null,
            };
            if (kind is { } k) found.Add(new NamedEntity(word, k));
        }
        return found.Distinct().ToList();
    }

    // ---- English ----

    private static readonly HashSet<string> Honorifics = new(StringComparer.OrdinalIgnoreCase)
    {
        "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Dame", "Lord", "Lady", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.",
    };

    // Job titles written before a name: what follows them is a person.
    private static readonly HashSet<string> PersonTitles = new(StringComparer.Ordinal)
    {
        "President", "Vice", "Prime", "Minister", "Chancellor", "Senator", "Sen.", "Governor", "Gov.", "Mayor", "Secretary",
        "General", "Gen.", "Chairman", "Chairwoman", "Chair", "Chief", "Executive", "CEO", "Director", "Judge", "Justice",
        "King", "Queen", "Prince", "Princess", "Pope", "Professor", "Premier", "Ambassador", "Commissioner", "Inspector",
        "Detective", "Officer", "Sheriff", "Coach", "Captain", "Capt.", "Spokesman", "Spokeswoman", "Spokesperson",
        "Rep.", "Representative", "Lt.", "Col.", "Sgt.", "Councillor", "Councilor", "Deputy", "Foreign", "Finance", "Health",
        "Defence", "Defense", "Economy", "Trade", "Education", "Interior", "Mr", "Mrs", "Ms", "Dr", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.",
    };

    private static readonly HashSet<string> OrgLastWords = new(StringComparer.Ordinal)
    {
        "Inc", "Inc.", "Corp", "Corp.", "Corporation", "Ltd", "Ltd.", "LLC", "Plc", "PLC", "plc", "Co", "Co.", "Group", "Company",
        "Ministry", "University", "College", "Council", "Bank", "Agency", "Department", "Commission", "Association", "Institute",
        "Committee", "Party", "Court", "Parliament", "Congress", "Senate", "Authority", "Foundation", "Organization",
        "Organisation", "Union", "Federation", "Board", "Service", "Services", "Police", "Museum", "Hospital", "Airlines",
        "Airways", "Fund", "Bureau", "Office", "Assembly", "Society", "Trust", "Network", "Motors", "Technologies", "Systems",
        "Holdings", "Partners", "Capital", "Labs", "Laboratory", "Laboratories", "Club", "Team", "Times", "News", "Press",
        "Institution", "Administration", "Force", "Army", "Navy", "Reserve", "School", "Centre", "Center", "Cabinet", "Government",
    };

    private static readonly HashSet<string> OrgFirstWords = new(StringComparer.Ordinal)
    {
        "Ministry", "University", "Department", "Bank", "Council", "Office", "Institute", "Museum", "Court", "Board", "Bureau",
        "Commission", "Federation", "Association", "House", "Church", "Academy",
    };

    private static readonly HashSet<string> PlaceWords = new(StringComparer.Ordinal)
    {
        "Street", "Road", "Avenue", "Square", "Park", "River", "Mountain", "Mountains", "Lake", "Island", "Islands", "Province",
        "State", "City", "County", "Bay", "Airport", "Station", "Bridge", "Valley", "Sea", "Ocean", "Coast", "Harbour", "Harbor",
        "District", "Region", "Desert", "Peninsula", "Gulf", "Strait", "Port", "Beach", "Hill", "Hills",
    };

    /// <summary>Countries, regions and big cities a newsroom writes about most; the rest is left to the other rules.</summary>
    private static readonly HashSet<string> Gazetteer = new(StringComparer.Ordinal)
    {
        "Afghanistan", "Albania", "Algeria", "Argentina", "Armenia", "Australia", "Austria", "Azerbaijan", "Bangladesh", "Belarus",
        "Belgium", "Bolivia", "Bosnia", "Brazil", "Bulgaria", "Cambodia", "Cameroon", "Canada", "Chile", "China", "Colombia",
        "Croatia", "Cuba", "Cyprus", "Czechia", "Denmark", "Ecuador", "Egypt", "Estonia", "Ethiopia", "Finland", "France",
        "Georgia", "Germany", "Ghana", "Greece", "Hungary", "Iceland", "India", "Indonesia", "Iran", "Iraq", "Ireland", "Israel",
        "Italy", "Japan", "Jordan", "Kazakhstan", "Kenya", "Kuwait", "Laos", "Latvia", "Lebanon", "Libya", "Lithuania",
        "Luxembourg", "Malaysia", "Mexico", "Moldova", "Mongolia", "Morocco", "Myanmar", "Nepal", "Netherlands", "New Zealand",
        "Nigeria", "North Korea", "Norway", "Pakistan", "Palestine", "Panama", "Peru", "Philippines", "Poland", "Portugal",
        "Qatar", "Romania", "Russia", "Rwanda", "Saudi Arabia", "Senegal", "Serbia", "Singapore", "Slovakia", "Slovenia",
        "Somalia", "South Africa", "South Korea", "Spain", "Sri Lanka", "Sudan", "Sweden", "Switzerland", "Syria", "Taiwan",
        "Tanzania", "Thailand", "Tunisia", "Turkey", "Uganda", "Ukraine", "United Arab Emirates", "United Kingdom",
        "United States", "Uruguay", "Uzbekistan", "Venezuela", "Vietnam", "Yemen", "Zambia", "Zimbabwe", "Britain", "England",
        "Scotland", "Wales", "America", "Europe", "Asia", "Africa", "Antarctica", "Arctic", "Middle East", "Latin America",
        "US", "U.S.", "UK", "U.K.", "UAE", "Beijing", "Shanghai", "Shenzhen", "Guangzhou", "Hong Kong", "Macau", "Wuhan",
        "Chengdu", "Tokyo", "Osaka", "Seoul", "Delhi", "New Delhi", "Mumbai", "Bangkok", "Jakarta", "Manila", "Sydney",
        "Melbourne", "London", "Paris", "Berlin", "Madrid", "Rome", "Milan", "Vienna", "Brussels", "Amsterdam", "Geneva",
        "Zurich", "Moscow", "Kyiv", "Kiev", "Warsaw", "Prague", "Athens", "Istanbul", "Ankara", "Cairo", "Nairobi", "Lagos",
        "Johannesburg", "Dubai", "Tehran", "Baghdad", "Jerusalem", "Gaza", "Washington", "New York", "Los Angeles", "Chicago",
        "San Francisco", "Boston", "Seattle", "Houston", "Miami", "Toronto", "Vancouver", "Montreal", "Ottawa", "Mexico City",
        "Sao Paulo", "Rio de Janeiro", "Buenos Aires", "California", "Texas", "Florida", "Edinburgh", "Manchester", "Dublin",
        "Oslo", "Stockholm", "Copenhagen", "Helsinki", "Lisbon", "Singapore", "Taipei", "Hanoi", "Kabul", "Karachi", "Lahore",
    };

    private static readonly HashSet<string> Connectors = new(StringComparer.Ordinal) { "of", "for", "de", "van", "von", "der", "al", "bin", "&", "and" };

    private static readonly HashSet<string> CommonOpeners = new(StringComparer.Ordinal)
    {
        "The", "A", "An", "In", "On", "At", "By", "For", "From", "After", "Before", "When", "While", "If", "As", "But", "And",
        "Or", "So", "This", "That", "These", "Those", "Its", "His", "Her", "Their", "Our", "Last", "Next", "Earlier", "Later",
        "Meanwhile", "However", "Officials", "Speaking", "According", "Under", "With", "Without", "Since", "Until", "During",
        "Despite", "Although", "Because", "Now", "Yesterday", "Today", "On", "Then", "Both", "Many", "Some", "Most", "Several",
    };

    private static readonly HashSet<string> NotNames = new(StringComparer.Ordinal)
    {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April",
        "May", "June", "July", "August", "September", "October", "November", "December", "I", "I'm", "I've", "Christmas",
        "Easter", "Internet", "TV", "AI", "GDP", "COVID", "COVID-19", "CEO", "CFO", "PM", "AM",
    };

    [GeneratedRegex(@"[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}'’\.\-&]*")]
    private static partial Regex WordPattern();

    private static List<string> Tokens(string sentence) =>
        WordPattern().Matches(sentence).Select(m =>
        {
            var t = m.Value;
            // A final stop belongs to the sentence, except after honorifics and dotted acronyms ("Mr.", "U.S.").
            if (t.EndsWith('.') && !Honorifics.Contains(t) && !PersonTitles.Contains(t) && t.Count(c => c == '.') == 1) t = t[..^1];
            if (t.EndsWith("'s", StringComparison.Ordinal) || t.EndsWith("’s", StringComparison.Ordinal)) t = t[..^2];
            return t;
        }).Where(t => t.Length > 0).ToList();

    private static bool IsCapitalised(string token) => token.Length > 0 && char.IsUpper(token[0]) && !NotNames.Contains(token);

    internal static IReadOnlyList<NamedEntity> FindEnglish(string sentence, IReadOnlyCollection<NamedEntity> known)
    {
        var tokens = Tokens(sentence);
        var found = new List<NamedEntity>();
        var i = 0;
        while (i < tokens.Count)
        {
            if (!IsCapitalised(tokens[i]) && !Honorifics.Contains(tokens[i])) { i++; continue; }
            var start = i;
            var j = i + 1;
            while (j < tokens.Count && (IsCapitalised(tokens[j]) || (Connectors.Contains(tokens[j]) && j + 1 < tokens.Count && IsCapitalised(tokens[j + 1]))))
                j++;
            var span = tokens.GetRange(start, j - start);
            // "Smith and Jones" are two people; "Bank of England" is one organisation: "and" joins only inside organisations.
            var andAt = span.IndexOf("and");
            if (andAt < 0) andAt = span.IndexOf("&");
            if (andAt > 0 && Classify(span, start == 0, known) is not { Kind: AnchorKind.Organisation })
            {
                span = span.GetRange(0, andAt);
                j = start + andAt;
            }
            if (Classify(span, start == 0, known) is { } entity) found.Add(entity);
            i = j;
        }
        return found.Distinct().ToList();
    }

    private static NamedEntity? Classify(List<string> span, bool atSentenceStart, IReadOnlyCollection<NamedEntity> known)
    {
        var words = new List<string>(span);
        if (atSentenceStart)
            while (words.Count > 0 && CommonOpeners.Contains(words[0])) { words.RemoveAt(0); atSentenceStart = false; }
        while (words.Count > 0 && Connectors.Contains(words[^1])) words.RemoveAt(words.Count - 1);
        if (words.Count == 0) return null;
        var text = string.Join(' ', words);

        // "Acme Robotics" after "Acme Robotics Inc." is the same company, not a person called Acme Robotics.
        // A single word is not shortened this way: "Kenya" stays a place beside "Kenya Medical Research Institute".
        if (words.Count > 1 && known.FirstOrDefault(k => k.Kind == AnchorKind.Organisation && k.Text.StartsWith(text + " ", StringComparison.Ordinal)) is { Text: not null } shortened)
            return shortened;
        if (known.FirstOrDefault(k => k.Text == text) is { Text: not null } same) return same;
        if (OrgLastWords.Contains(words[^1]) || OrgFirstWords.Contains(words[0]))
        {
            // "Prime Minister" alone is a title, not an organisation; "Health Ministry" is one.
            if (words.All(PersonTitles.Contains)) return null;
            return words.Count > 1 || OrgFirstWords.Contains(words[0]) ? new NamedEntity(text, AnchorKind.Organisation) : null;
        }
        if (Gazetteer.Contains(text) || (words.Count > 1 && PlaceWords.Contains(words[^1]))) return new NamedEntity(text, AnchorKind.Place);

        var titled = false;
        if (Honorifics.Contains(words[0]) || PersonTitles.Contains(words[0]))
        {
            while (words.Count > 1 && (PersonTitles.Contains(words[0]) || Honorifics.Contains(words[0]))) { words.RemoveAt(0); titled = true; }
            text = string.Join(' ', words);
            if (!titled || words.All(PersonTitles.Contains)) return null;
            if (Gazetteer.Contains(text)) return new NamedEntity(text, AnchorKind.Place);
            return ResolvePerson(text, known);
        }
        if (IsAcronym(text)) return new NamedEntity(text, AnchorKind.Organisation);
        if (words.Count == 1)
        {
            // One capitalised word: a surname of someone named in full elsewhere, or a name the article uses elsewhere.
            var person = known.FirstOrDefault(k => k.Kind == AnchorKind.Person && k.Text.Split(' ')[^1] == text);
            if (person.Text is not null) return person;
            var other = known.FirstOrDefault(k => k.Text == text);
            return other.Text is not null ? other : null;
        }
        if (words.Count <= 4 && words.All(LooksLikeName)) return new NamedEntity(text, AnchorKind.Person);
        return null;
    }

    private static NamedEntity ResolvePerson(string text, IReadOnlyCollection<NamedEntity> known)
    {
        if (!text.Contains(' '))
        {
            var full = known.FirstOrDefault(k => k.Kind == AnchorKind.Person && k.Text.Split(' ')[^1] == text);
            if (full.Text is not null) return full;
        }
        return new NamedEntity(text, AnchorKind.Person);
    }

    private static bool IsAcronym(string text) =>
        text.Length is >= 2 and <= 6 && text.All(c => char.IsUpper(c) || c == '.' || char.IsDigit(c)) && text.Count(char.IsUpper) >= 2;

    private static bool LooksLikeName(string word) =>
        word.Length > 1 && char.IsUpper(word[0]) && word.All(c => char.IsLetter(c) || c is '-' or '\'' or '’' or '.') && !word.All(char.IsUpper);
}
