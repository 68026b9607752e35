internal import SMRLCLibXML2

/// Facts about the libxml2 this build uses. The JATS issue grows this module into the XML layer.
public enum LibXML2 {
    /// The libxml2 version the headers declare, e.g. `20914`.
    public static var headerVersion: Int { Int(LIBXML_VERSION) }
}
