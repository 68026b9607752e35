function __smrl_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __smrl_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __smrl_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __smrl_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __smrl_parse_tokens -S
    set -l unparsed_tokens (__smrl_tokens -pc)
    switch $unparsed_tokens[1]
    case 'smrl'
        __smrl_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'convert'
            __smrl_parse_subcommand -r 1 'from=' 'profile=' 'vocabulary=' 'against=+' 'duplicates' 'no-duplicates' 'fix' 'strict' 'format=' 'report=' 'jats-content=' 'set=+' 'max-record-size=' 'max-depth=' 'domain=+' 'topic=+' 'profession=+' 'type=+' 'open-access' 'no-open-access' 'to=' 'o/output=' 'compact' 'version' 'h/help'
        case 'validate'
            __smrl_parse_subcommand -r 1 'from=' 'profile=' 'vocabulary=' 'against=+' 'duplicates' 'no-duplicates' 'fix' 'strict' 'format=' 'report=' 'jats-content=' 'set=+' 'max-record-size=' 'max-depth=' 'schema=' 'version' 'h/help'
        case 'formats'
            __smrl_parse_subcommand 0 'format=' 'version' 'h/help'
        case 'vocabulary'
            __smrl_parse_subcommand 0 'format=' 'vocabulary=' 'version' 'h/help'
        case 'help'
            __smrl_parse_subcommand -r 1 'version'
        end
    end
end

function __smrl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __smrl_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __smrl_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __smrl_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__smrl_tokens -p)
    if test -z "$(__smrl_tokens -t)"
        set -l index (count (__smrl_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'smrl' -f
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl" version' -l 'version' -d 'Show the version.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_positional "smrl" -eq 1' -fa 'convert' -d 'Convert records from one format to another, checking them on the way.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_positional "smrl" -eq 1' -fa 'validate' -d 'Check records against the vocabularies, identifier rules and a profile.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_positional "smrl" -eq 1' -fa 'formats' -d 'List the formats smrl reads and writes.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_positional "smrl" -eq 1' -fa 'vocabulary' -d 'Show the Domain, Topic, resource type, profession and legacy Action Area vocabularies.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_positional "smrl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_positional "smrl convert" -ge 1' -F
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" from' -l 'from' -d 'Source format for every input (default: detected from the file name and content).' -rfka 'smrl-json smrl-ndjson ris medline bibtex biblatex csl-json jats'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" profile' -l 'profile' -d 'Validation profile: \'citation\' checks what is present; \'library\' also requires a resource type, a domain, a topic, a title and a year.' -rfka 'citation library'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" vocabulary' -l 'vocabulary' -d 'Vocabulary file replacing the bundled one.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert"' -l 'against' -d 'An existing library to find duplicates against (repeatable).' -rF
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" duplicates' -l 'duplicates' -d 'Look for duplicate records (the default). --no-duplicates skips it, and memory then stays the same however long the feed (the detector keeps a few bytes per key of every record).'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" no-duplicates' -l 'no-duplicates' -d 'Look for duplicate records (the default). --no-duplicates skips it, and memory then stays the same however long the feed (the detector keeps a few bytes per key of every record).'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" fix' -l 'fix' -d 'Rewrite legacy Action Areas to their current Domains and report each change.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" strict' -l 'strict' -d 'Treat warnings as errors; write nothing when any record has one.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" format' -l 'format' -d 'Report format: \'text\' (diagnostics as FILE:LINE:COL lines) or \'json\'.' -rfka 'text json'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" report' -l 'report' -d 'Write the JSON report to this file as well.' -rF
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" jats-content' -l 'jats-content' -d 'What a JATS input yields: \'article\' (default), \'references\' or \'both\'.' -rfka 'article references both'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert"' -l 'set' -d 'A format setting as KEY=VALUE (repeatable), e.g. csl-json.lines=true.' -rfka ''
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" max-record-size' -l 'max-record-size' -d 'Largest record accepted, in bytes, or with a K, M or G suffix; a larger one is an input.record-too-large error (default: 16M).' -rfka ''
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" max-depth' -l 'max-depth' -d 'Deepest nesting accepted (JSON, BibTeX braces, XML elements); deeper is an input.nesting-too-deep error (default: 512).' -rfka ''
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert"' -l 'domain' -d 'Keep records in this Domain (id or label; repeatable: any of them).' -rfka 'pathways-admission-graduation curriculum-programming community-engagement students-faculty governance-accountability'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert"' -l 'topic' -d 'Keep records with this Topic (id or label; repeatable).' -rfka 'diversity-inclusion-belonging practice-underserved specialty-choice health-equity-champions community-partnerships patient-community-health'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert"' -l 'profession' -d 'Keep records for this health profession (repeatable).' -rfka 'medicine nursing dentistry pharmacy physician-assistant public-health interdisciplinary'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert"' -l 'type' -d 'Keep records of this resource type or CSL item type (repeatable).' -rfka 'peer-reviewed-article implementation-guidance-tools real-world-example article article-journal article-magazine article-newspaper bill book broadcast chapter classic collection dataset document entry entry-dictionary entry-encyclopedia event figure graphic hearing interview legal_case legislation manuscript map motion_picture musical_score pamphlet paper-conference patent performance periodical personal_communication post post-weblog regulation report review review-book software song speech standard thesis treaty webpage'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" open-access' -l 'open-access' -d 'Keep only open-access records (or, with --no-open-access, only closed ones).'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" no-open-access' -l 'no-open-access' -d 'Keep only open-access records (or, with --no-open-access, only closed ones).'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" to' -l 'to' -d 'Target format (see \'smrl formats\').' -rfka 'smrl-json smrl-ndjson ris medline bibtex biblatex csl-json jats'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" o output' -l 'output' -s 'o' -d 'Output file (default: standard output). Written atomically.' -rF
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" compact' -l 'compact' -d 'Compact output instead of indented, where the format allows it.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" version' -l 'version' -d 'Show the version.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl convert" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_positional "smrl validate" -ge 1' -F
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" from' -l 'from' -d 'Source format for every input (default: detected from the file name and content).' -rfka 'smrl-json smrl-ndjson ris medline bibtex biblatex csl-json jats'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" profile' -l 'profile' -d 'Validation profile: \'citation\' checks what is present; \'library\' also requires a resource type, a domain, a topic, a title and a year.' -rfka 'citation library'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" vocabulary' -l 'vocabulary' -d 'Vocabulary file replacing the bundled one.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate"' -l 'against' -d 'An existing library to find duplicates against (repeatable).' -rF
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" duplicates' -l 'duplicates' -d 'Look for duplicate records (the default). --no-duplicates skips it, and memory then stays the same however long the feed (the detector keeps a few bytes per key of every record).'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" no-duplicates' -l 'no-duplicates' -d 'Look for duplicate records (the default). --no-duplicates skips it, and memory then stays the same however long the feed (the detector keeps a few bytes per key of every record).'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" fix' -l 'fix' -d 'Rewrite legacy Action Areas to their current Domains and report each change.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" strict' -l 'strict' -d 'Treat warnings as errors; write nothing when any record has one.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" format' -l 'format' -d 'Report format: \'text\' (diagnostics as FILE:LINE:COL lines) or \'json\'.' -rfka 'text json'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" report' -l 'report' -d 'Write the JSON report to this file as well.' -rF
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" jats-content' -l 'jats-content' -d 'What a JATS input yields: \'article\' (default), \'references\' or \'both\'.' -rfka 'article references both'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate"' -l 'set' -d 'A format setting as KEY=VALUE (repeatable), e.g. csl-json.lines=true.' -rfka ''
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" max-record-size' -l 'max-record-size' -d 'Largest record accepted, in bytes, or with a K, M or G suffix; a larger one is an input.record-too-large error (default: 16M).' -rfka ''
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" max-depth' -l 'max-depth' -d 'Deepest nesting accepted (JSON, BibTeX braces, XML elements); deeper is an input.nesting-too-deep error (default: 512).' -rfka ''
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" schema' -l 'schema' -d 'Also validate XML inputs against a schema: a DTD (.dtd), an XSD (.xsd), an XML catalog (.xml) resolving each document\'s DOCTYPE, or a folder of DTDs.' -rfa '(set -l exts \'dtd\' \'xsd\' \'xml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" version' -l 'version' -d 'Show the version.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl validate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl formats" format' -l 'format' -d 'Output format: \'text\' or \'json\'.' -rfka 'text json'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl formats" version' -l 'version' -d 'Show the version.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl formats" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl vocabulary" format' -l 'format' -d 'Output format: \'text\' or \'json\' (the vocabulary file itself).' -rfka 'text json'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl vocabulary" vocabulary' -l 'vocabulary' -d 'Vocabulary file replacing the bundled one.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl vocabulary" version' -l 'version' -d 'Show the version.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl vocabulary" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'smrl' -n '__smrl_should_offer_completions_for_flags_or_options "smrl help" version' -l 'version' -d 'Show the version.'
