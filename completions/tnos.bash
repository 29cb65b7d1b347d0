# bash completion for tnos.  The candidates come from tnos itself
# ("tnos __complete CMD WORD..."), which reads the same option tables as the
# parser and --help, so the three cannot disagree.

# A word as the command will get it: quotes and backslashes removed (no
# expansion is done), in REPLY.
_tnos_dequote()
{
	local w=$1 q= c n i
	REPLY=
	for ((i = 0; i < ${#w}; i++)); do
		c=${w:i:1} n=${w:i+1:1}
		if [[ $q == "'" ]]; then
			if [[ $c == "'" ]]; then q=; else REPLY+=$c; fi
		elif [[ $q == '"' ]]; then
			if [[ $c == '"' ]]; then
				q=
			elif [[ $c == '\' && $n == [\"\\\$\`] ]]; then
				REPLY+=$n i=$((i + 1))
			else
				REPLY+=$c
			fi
		elif [[ $c == [\"\'] ]]; then
			q=$c
		elif [[ $c == '\' ]]; then
			REPLY+=$n i=$((i + 1))
		else
			REPLY+=$c
		fi
	done
}

_tnos()
{
	local cur words cmd i k x
	# bash splits words at COMP_WORDBREAKS, which holds "=" and ":": put
	# "--output" "=" "TA" and "MAJ" ":" "M" back together as tnos sees them.
	words=()
	for ((k = 0; k <= COMP_CWORD; k++)); do
		x=${COMP_WORDS[k]}
		if ((k > 1)) && [[ $x == [=:] || ${words[-1]} == *[=:] ]]; then
			words[-1]+=$x
		else
			words+=("$x")
		fi
	done
	cur=${words[-1]}
	# bash replaces only the text after the last word break: that is
	# COMP_WORDS[COMP_CWORD], or nothing when that word is the break itself
	local bw=${COMP_WORDS[COMP_CWORD]}
	[[ $bw == [=:] ]] && bw=
	local strip=${cur%"$bw"}
	cmd=${words[0]##*/}
	local -a args
	if [ "$cmd" = tnos ]; then
		args=("${words[@]:1}")
	else
		args=("$cmd" "${words[@]:1}")	# invoked through a subcommand link
	fi
	# a subcommand link would run its subcommand, not __complete: ask tnos
	local bin=tnos
	[ "$cmd" = tnos ] && command -v "${COMP_WORDS[0]}" >/dev/null 2>&1 && bin=${COMP_WORDS[0]}
	# "--output=TA": tnos completes the value after the "="
	local pre=
	if [[ $cur == --*=* ]]; then
		pre=${cur%%=*}=
		cur=${cur#*=}
		args[-1]=${pre%=}
		args+=("$cur")
	fi
	# a word typed with backslashes ("/mnt/a\ b") is matched unquoted, and
	# the words before it (walk's MOUNTPOINT) go to tnos as it will get them
	local ucur=${cur//\\/}
	for ((k = 0; k < ${#args[@]} - 1; k++)); do
		_tnos_dequote "${args[k]}"
		args[k]=$REPLY
	done
	args[-1]=$ucur
	local IFS=$'\n'
	local -a cands
	cands=($("$bin" __complete "${args[@]}" 2>/dev/null))
	COMPREPLY=()
	local fn= y
	local -a more
	for x in "${cands[@]}"; do
		case $x in
		:files) more=($(compgen -f -- "$ucur")); fn=1 ;;
		:dirs) more=($(compgen -d -- "$ucur")); fn=1 ;;
		:commands) more=($(compgen -c -- "$ucur")) ;;
		*) more=(); [[ $x == "$ucur"* ]] && more=("$x") ;;
		esac
		for y in "${more[@]}"; do
			y=$pre$y
			COMPREPLY+=("${y#"$strip"}")
		done
	done
	if [ -n "$fn" ]; then
		compopt -o filenames 2>/dev/null || :	# bash quotes them
	else
		for i in "${!COMPREPLY[@]}"; do
			[[ ${COMPREPLY[i]} == *[!A-Za-z0-9_./,:+=@%^-]* ]] &&
				printf -v 'COMPREPLY[i]' '%q' "${COMPREPLY[i]}"
		done
	fi
	# a comma list goes on: do not add a space after "ro,"
	[[ $cur == *,* ]] && compopt -o nospace 2>/dev/null || :
	return 0
}
complete -F _tnos tnos lsmount statmount fsmount setattr move openat2 statx fhandle walk access
