namespace VidPress.Core.Library;

/// <summary>
/// What a library asset is: footage or a still picture. A library term, carried by the shots retrieval finds
/// (<see cref="ShotCandidate.Kind"/>) and by the asset rows that store them.
/// </summary>
public enum AssetKind { Video, Image }
