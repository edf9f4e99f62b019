# bash completion for vmnetlint                            -*- shell-script -*-
# Installed as $(datadir)/bash-completion/completions/vmnetlint. Commands and
# options come from `vmnetlint --help` and rule ids and names from
# `vmnetlint rules`, so the completion follows the installed binary.

_vmnetlint_rules()
{
    "$1" rules --no-config 2>/dev/null | awk 'NF >= 2 && $1 ~ /^VNL/ { print $1; print $2 }'
}

_vmnetlint()
{
    local cur prev words cword
    _init_completion -n =: || return

    local prog=${words[0]}
    local help
    help=$("$prog" --help 2>/dev/null)

    case $prev in
        --format)
            local fmts="text json sarif junit github gitlab html"
            if [[ $cur == *:* ]]; then
                local pfx=${cur%%:*}
                cur=${cur#*:}
                _filedir
                COMPREPLY=("${COMPREPLY[@]/#/$pfx:}")
                __ltrim_colon_completions "$pfx:$cur"
            else
                COMPREPLY=($(compgen -W "$fmts" -- "$cur"))
            fi
            return
            ;;
        --fail-on)
            COMPREPLY=($(compgen -W "error warning info never" -- "$cur"))
            return
            ;;
        --color | --colour)
            COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
            return
            ;;
        --select | --ignore)
            local done="" last=$cur
            if [[ $cur == *,* ]]; then
                done=${cur%,*},
                last=${cur##*,}
            fi
            COMPREPLY=($(compgen -P "$done" -W "$(_vmnetlint_rules "$prog")" -- "$last"))
            return
            ;;
        -c | --connect)
            COMPREPLY=($(compgen -W "qemu:///system qemu:///session qemu+ssh:// test:///" \
                -- "$cur"))
            __ltrim_colon_completions "$cur"
            return
            ;;
        --pve)
            COMPREPLY=($(compgen -W "https://" -- "$cur"))
            __ltrim_colon_completions "$cur"
            return
            ;;
        --config | --baseline | --write-baseline | --token-file | --cacert | -o | --output | \
            --interfaces)
            _filedir
            return
            ;;
        --backup-dir | --lock-dir)
            _filedir -d
            return
            ;;
        --run)
            # the run IDs of the journals in the store
            local dir=/var/backups/vmnetlint i
            for ((i = 1; i < cword; i++)); do
                [[ ${words[i]} == --backup-dir ]] && dir=${words[i + 1]}
            done
            COMPREPLY=($(compgen -W "$(cd "$dir" 2>/dev/null && ls -- run-*.journal 2>/dev/null |
                sed 's/^run-//; s/\.journal$//')" -- "$cur"))
            return
            ;;
        --timeout | --jobs | --fingerprint | --vm)
            return
            ;;
    esac

    # the command: the first word that is not an option or an option's value
    local i cmd=""
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --format | --fail-on | --color | --colour | --select | --ignore | -c | --connect | \
                --pve | --config | --baseline | --write-baseline | --token-file | --cacert | \
                -o | --output | --interfaces | --timeout | --jobs | --fingerprint | --vm | \
                --backup-dir | --lock-dir | --run)
                ((i++))
                ;;
            -*) ;;
            *)
                cmd=${words[i]}
                break
                ;;
        esac
    done

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z-]*' <<<"$help" |
            tr -d ' ,' | sort -u)" -- "$cur"))
        return
    fi
    if [[ -z $cmd ]]; then
        local cmds
        cmds=$(sed -n '/^commands:/,/^$/p' <<<"$help" | awk '/^  [a-z]/ { print $1 }')
        COMPREPLY=($(compgen -W "${cmds:-scan rules explain version help}" -- "$cur"))
        return
    fi
    case $cmd in
        explain)
            COMPREPLY=($(compgen -W "$(_vmnetlint_rules "$prog")" -- "$cur"))
            ;;
        scan | map)
            _filedir
            ;;
        restore)
            # a backup's description (or data) file, in the store or anywhere
            local dir=/var/backups/vmnetlint i
            for ((i = 1; i < cword; i++)); do
                [[ ${words[i]} == --backup-dir ]] && dir=${words[i + 1]}
            done
            if [[ $cur != */* && -d $dir ]]; then
                COMPREPLY=($(compgen -W "$(cd "$dir" 2>/dev/null && ls -- *.meta.json 2>/dev/null)" \
                    -- "$cur"))
            fi
            [[ ${#COMPREPLY[@]} -gt 0 ]] || _filedir
            ;;
    esac
} &&
    complete -F _vmnetlint vmnetlint

# ex: filetype=sh
