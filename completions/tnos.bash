# bash completion for tnos.  The candidates come from tnos itself
# ("tnos __complete CMD WORD..."), which reads the same option tables as the
# parser and --help, so the three cannot disagree.
_tnos()
{
	local cur words cword cmd i
	cur=${COMP_WORDS[COMP_CWORD]}
	words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
	cmd=${words[0]##*/}
	local -a args
	if [ "$cmd" = tnos ]; then
		args=("${words[@]:1}")
	else
		args=("$cmd" "${words[@]:1}")	# invoked through a subcommand link
	fi
	local bin=${COMP_WORDS[0]}
	command -v "$bin" >/dev/null 2>&1 || bin=tnos
	local IFS=$'\n'
	local -a cands
	cands=($("$bin" __complete "${args[@]}" 2>/dev/null))
	COMPREPLY=()
	for i in "${!cands[@]}"; do
		case ${cands[i]} in
		:files) COMPREPLY+=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null ;;
		:dirs) COMPREPLY+=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null ;;
		:commands) COMPREPLY+=($(compgen -c -- "$cur")) ;;
		*) [[ ${cands[i]} == "$cur"* ]] && COMPREPLY+=("${cands[i]}") ;;
		esac
	done
	# a comma list goes on: do not add a space after "ro,"
	[[ $cur == *,* ]] && compopt -o nospace 2>/dev/null
	return 0
}
complete -F _tnos tnos lsmount statmount fsmount setattr move openat2 statx fhandle walk
