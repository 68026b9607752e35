#ifndef SMRL_CLIBXML2_SHIM_H
#define SMRL_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU; its <unicode/ucnv.h> clashes with Foundation's _FoundationICU on a clean
   build ("'UErrorCode' has different definitions in different modules"). The macro only changes the layout of
   xmlCharEncodingHandler, which smrl uses through pointers only. */
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlsave.h>
#include <libxml/valid.h>
#include <libxml/xmlschemas.h>
#include <libxml/catalog.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/parserInternals.h>
#include <libxml/entities.h>
#include <libxml/uri.h>

/* xmlFree is a mutable C global; Swift 6 rejects references to it. */
static inline void smrl_xml_free(void *_Nullable p) { xmlFree(p); }

#endif
