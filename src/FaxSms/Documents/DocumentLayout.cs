namespace CallCenter.FaxSms.Documents;

/// <summary>
/// A document as the PDF writers draw it (pure data): a title, then blocks top to bottom. The words
/// are already in the reader's language (<see cref="DocumentTexts"/>); the writers only place them.
/// </summary>
public sealed record DocumentLayout(string Title, IReadOnlyList<DocumentBlock> Blocks);

/// <summary>One part of a document's body.</summary>
public abstract record DocumentBlock;

/// <summary>A paragraph (wrapped to the page's width); an empty text is a blank line.</summary>
public sealed record TextBlock(string Text) : DocumentBlock;

/// <summary>A section's heading, in bold.</summary>
public sealed record HeadingBlock(string Text) : DocumentBlock;

/// <summary>
/// A table: a header row, then rows of as many cells (a row with fewer is padded); the columns
/// flagged in <paramref name="AlignRight"/> (amounts, quantities) are right-aligned. With no row,
/// <paramref name="WhenEmpty"/> is printed instead ("none").
/// </summary>
public sealed record TableBlock(
    IReadOnlyList<string> Header,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    IReadOnlyList<bool> AlignRight,
    string WhenEmpty) : DocumentBlock;
