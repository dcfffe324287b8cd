namespace VidPress.Core.Script;

/// <summary>
/// Tags a script: the article's people, places, organisations, keywords and topic, and for each sentence
/// the anchor points a viewer should see while it is spoken. An entity weighs more than a keyword, and
/// an entity the article keeps coming back to more than one it names once.
/// </summary>
public static class ScriptTagger
{
    public const int MaxAnchorsPerSentence = 6;
    public const int MaxKeywordsPerSentence = 4;
    public const int MaxTags = 15;

    private static readonly Dictionary<AnchorKind, double> KindWeight = new()
    {
        [AnchorKind.Person] = 1.0, [AnchorKind.Organisation] = 0.9, [AnchorKind.Place] = 0.8, [AnchorKind.Keyword] = 0.6,
    };

    /// <summary>
    /// Tags every sentence of <paramref name="script"/>. <paramref name="articleText"/> is the whole article when the
    /// script is a summary of one, so salience counts the sentences left out too; sentence keywords the caller gave
    /// are kept first.
    /// </summary>
    public static ScriptDocument Tag(ScriptDocument script, string? articleText = null)
    {
        var language = script.Language;
        var article = string.IsNullOrWhiteSpace(articleText) ? string.Join("\n\n", script.Sentences.Select(s => s.Text)) : articleText;
        var articleSentences = SentenceSplitter.Split(article);

        // Two passes: the first learns the full names, so the second can tell that a lone "Chen" is Chen Wei.
        var known = new List<NamedEntity>();
        foreach (var sentence in articleSentences)
            foreach (var entity in Entities.Find(sentence, language))
                if (!known.Contains(entity) && (entity.Kind != AnchorKind.Person || language == Languages.Chinese || entity.Text.Contains(' ')))
                    known.Add(entity);
        var mentions = new Dictionary<NamedEntity, int>();
        foreach (var sentence in articleSentences)
            foreach (var entity in Entities.Find(sentence, language, known))
                mentions[entity] = mentions.GetValueOrDefault(entity) + 1;

        var keywordWeights = ArticleKeywords(article, articleSentences, language, mentions.Keys);

        var tagged = new List<ScriptSentence>();
        foreach (var sentence in script.Sentences)
        {
            var entities = Entities.Find(sentence.Text, language, known);
            var maxMentions = mentions.Count == 0 ? 1 : mentions.Values.Max();
            var anchors = entities.Select(e => new AnchorPoint(e.Text, e.Kind,
                Math.Round(KindWeight[e.Kind] * (0.7 + 0.3 * mentions.GetValueOrDefault(e, 1) / (double)maxMentions), 3))).ToList();

            var callerKeywords = sentence.Keywords.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()).ToList();
            var found = SentenceKeywords(sentence.Text, language, keywordWeights)
                .Where(k => !entities.Any(e => Covers(e.Text, k.Word)))
                .ToList();
            var keywords = callerKeywords.Concat(found.Select(k => k.Word)).Distinct(StringComparer.OrdinalIgnoreCase).Take(Math.Max(MaxKeywordsPerSentence, callerKeywords.Count)).ToList();
            // The caller's own keywords are what they want on screen: they weigh like a named person.
            anchors.AddRange(callerKeywords.Select(k => new AnchorPoint(k, AnchorKind.Keyword, 1.0)));
            anchors.AddRange(found.Select(k => new AnchorPoint(k.Word, AnchorKind.Keyword, Math.Round(KindWeight[AnchorKind.Keyword] * k.Weight, 3))));
            anchors = anchors
                .GroupBy(a => a.Text, StringComparer.OrdinalIgnoreCase).Select(g => g.OrderByDescending(a => a.Weight).First())
                .OrderByDescending(a => a.Weight).Take(Math.Max(MaxAnchorsPerSentence, callerKeywords.Count)).ToList();
            tagged.Add(sentence with { Anchors = anchors, Keywords = keywords });
        }

        var tags = mentions
            .Select(m => new ScriptTag(m.Key.Text, m.Key.Kind, KindWeight[m.Key.Kind] * Math.Min(1, 0.5 + 0.25 * m.Value)))
            .Concat(keywordWeights.OrderByDescending(k => k.Value).Take(8)
                .Where(k => !mentions.Keys.Any(e => Covers(e.Text, k.Key)))
                .Select(k => new ScriptTag(k.Key, AnchorKind.Keyword, KindWeight[AnchorKind.Keyword] * k.Value)))
            .OrderByDescending(t => t.Weight).Take(MaxTags).ToList();
        var best = tags.Count > 0 ? tags.Max(t => t.Weight) : 1;
        tags = tags.Select(t => t with { Weight = Math.Round(t.Weight / best, 3) }).ToList();

        return script with
        {
            Sentences = tagged,
            Tags = tags,
            Topic = Topics.Classify(article, language) ?? keywordWeights.OrderByDescending(k => k.Value).Select(k => k.Key).FirstOrDefault(),
        };
    }

    private static bool Covers(string entity, string word) =>
        entity.Contains(word, StringComparison.OrdinalIgnoreCase) || word.Contains(entity, StringComparison.OrdinalIgnoreCase);

    /// <summary>Keyword → weight in (0, 1] for the whole article, in the form a viewer would read it.</summary>
    private static Dictionary<string, double> ArticleKeywords(string article, IReadOnlyList<string> sentences, string language, IEnumerable<NamedEntity> entities)
    {
        if (language == Languages.Chinese)
            return Words.ChineseKeywords(article, 30).ToDictionary(k => k.Word, k => k.Weight);

        // English has no IDF table here; a word's weight is how often the article uses it, discounted for very
        // short words, with the surface form read most often shown rather than its stem.
        var counts = new Dictionary<string, int>();
        var surface = new Dictionary<string, Dictionary<string, int>>();
        var entityWords = new HashSet<string>(entities.SelectMany(e => e.Text.Split(' ')).Select(w => Words.Stem(w.ToLowerInvariant())));
        foreach (var sentence in sentences)
            foreach (var raw in Words.EnglishWords(sentence))
            {
                var lower = raw.ToLowerInvariant();
                if (lower.Length <= 2 || Words.IsStopWord(lower) || !lower.Any(char.IsLetter) || lower.Any(char.IsDigit)) continue;
                // Acronyms and mixed-case brands are names, which the entities already cover.
                if (char.IsUpper(raw[0]) && raw.Skip(1).Any(char.IsUpper)) continue;
                var stem = Words.Stem(lower);
                if (entityWords.Contains(stem)) continue;
                counts[stem] = counts.GetValueOrDefault(stem) + 1;
                var forms = surface.TryGetValue(stem, out var f) ? f : surface[stem] = [];
                forms[lower] = forms.GetValueOrDefault(lower) + 1;
            }
        var scored = counts.ToDictionary(c => c.Key, c => c.Value * Math.Log(2 + c.Key.Length));
        var best = scored.Count > 0 ? scored.Values.Max() : 1;
        return scored.OrderByDescending(s => s.Value).Take(40)
            .ToDictionary(s => surface[s.Key].OrderByDescending(f => f.Value).First().Key, s => s.Value / best);
    }

    private static IReadOnlyList<(string Word, double Weight)> SentenceKeywords(string sentence, string language, Dictionary<string, double> articleWeights)
    {
        if (language == Languages.Chinese)
        {
            // The sentence's own TF-IDF ranking, lifted for words that matter to the whole article.
            return Words.ChineseKeywords(sentence, MaxKeywordsPerSentence + 2)
                .Select(k => (k.Word, Weight: Math.Min(1, 0.5 * k.Weight + 0.5 * articleWeights.GetValueOrDefault(k.Word))))
                .OrderByDescending(k => k.Weight).Take(MaxKeywordsPerSentence).ToList();
        }
        var stems = articleWeights.Keys.ToDictionary(k => Words.Stem(k), k => k);
        return Words.EnglishWords(sentence)
            .Select(w => Words.Stem(w.ToLowerInvariant()))
            .Where(stems.ContainsKey)
            .Distinct()
            .Select(s => (Word: stems[s], Weight: articleWeights[stems[s]]))
            .OrderByDescending(k => k.Weight).Take(MaxKeywordsPerSentence).ToList();
    }
}

/// <summary>The newsroom desk an article belongs to, from the words it uses.</summary>
public static class Topics
{
    // Only words that point at one desk: Chinese "研究" and "发现" appear in reports of every kind.
    private static readonly (string Topic, string[] English, string[] Chinese)[] Desks =
    [
        ("politics", ["election", "government", "parliament", "minister", "president", "vote", "policy", "senate", "congress", "diplomat", "summit", "treaty", "sanction"],
            ["政府", "选举", "总统", "议会", "政策", "外交", "部长", "主席", "会见", "会谈", "峰会", "条约", "制裁"]),
        ("economy", ["economy", "market", "shares", "stock", "inflation", "trade", "profit", "revenue", "investment", "budget", "tax", "investor", "price", "growth", "tariff"],
            ["经济", "市场", "股价", "股市", "通胀", "贸易", "利润", "营收", "投资", "预算", "税", "增长", "关税", "价格"]),
        ("technology", ["technology", "software", "artificial", "intelligence", "chip", "chips", "internet", "smartphone", "data", "robot", "semiconductor", "computing", "startup"],
            ["科技", "技术", "人工智能", "芯片", "互联网", "手机", "数据", "机器人", "半导体", "算力", "大模型"]),
        ("sports", ["match", "team", "league", "championship", "tournament", "goal", "coach", "player", "olympic", "cup", "season", "final"],
            ["比赛", "球队", "联赛", "冠军", "奥运", "球员", "教练", "赛季", "决赛"]),
        ("health", ["hospital", "health", "disease", "vaccine", "virus", "patients", "doctors", "medical", "treatment", "drug"],
            ["医院", "健康", "疾病", "疫苗", "病毒", "患者", "医生", "医疗", "治疗", "药物"]),
        ("environment", ["climate", "emissions", "pollution", "energy", "renewable", "wildlife", "flood", "drought", "carbon", "solar", "wind"],
            ["气候", "排放", "污染", "能源", "环保", "洪水", "干旱", "碳", "光伏", "风电", "生态"]),
        ("science", ["research", "scientists", "study", "space", "discovery", "telescope", "species", "mission", "laboratory"],
            ["科学家", "科研", "太空", "航天", "望远镜", "物种", "探测", "考古", "天文"]),
        ("transport", ["transport", "bus", "buses", "rail", "railway", "train", "traffic", "airport", "airline", "road", "commuters"],
            ["交通", "公交", "铁路", "高铁", "地铁", "机场", "航空", "道路", "通勤"]),
        ("education", ["school", "schools", "students", "teachers", "education", "university", "exam", "pupils"],
            ["学校", "学生", "教师", "教育", "大学", "考试", "高考"]),
        ("culture", ["film", "music", "museum", "art", "festival", "book", "exhibition", "concert", "artist"],
            ["电影", "音乐", "博物馆", "艺术", "文化", "展览", "演出", "艺术家"]),
        ("crime", ["police", "court", "trial", "arrested", "crime", "prosecutors", "judge", "charged", "sentenced"],
            ["警方", "法院", "审判", "逮捕", "犯罪", "检察", "判决"]),
    ];

    /// <summary>The desk whose words the article uses most, or null when none is used at least three times.</summary>
    public static string? Classify(string article, string language)
    {
        var scores = new Dictionary<string, int>();
        if (language == Languages.Chinese)
        {
            foreach (var (topic, _, chinese) in Desks)
                scores[topic] = chinese.Sum(w => Count(article, w));
        }
        else
        {
            var words = Words.EnglishWords(article).Select(w => w.ToLowerInvariant()).ToList();
            foreach (var (topic, english, _) in Desks)
                scores[topic] = words.Count(english.Contains);
        }
        var best = scores.OrderByDescending(s => s.Value).First();
        return best.Value >= 3 ? best.Key : null;
    }

    private static int Count(string text, string word)
    {
        var count = 0;
        for (var i = text.IndexOf(word, StringComparison.Ordinal); i >= 0; i = text.IndexOf(word, i + word.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
