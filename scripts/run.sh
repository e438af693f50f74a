#!/usr/bin/env bash
# `make run`: on first run creates ./data/tessera.db with an admin user and an
# API token (kept in ./data/first-run.txt, mode 0600), prints how to sign in,
# then serves on 127.0.0.1:8080 until Ctrl-C.
set -euo pipefail
tessera="${1:?usage: scripts/run.sh path/to/tessera}"
data=./data
db="sqlite://$data/tessera.db"
listen="${TESSERA_LISTEN:-127.0.0.1:8080}"
url="http://$listen"
notes="$data/first-run.txt"

mkdir -p "$data"
chmod 700 "$data"
if [[ ! -f "$data/tessera.db" ]]; then
  email="admin@example.com"
  password="$(openssl rand -base64 18 | tr -d '/+=' | cut -c1-20)"
  "$tessera" migrate --database "$db" >/dev/null
  user_json="$("$tessera" admin users create --database "$db" --email "$email" \
    --password "$password" --name "Administrator")"
  account="$(printf '%s' "$user_json" | sed -E 's/.*"account_id":"([0-9a-f]+)".*/\1/')"
  token_json="$("$tessera" admin authorizations create --database "$db" --email "$email" \
    --description "API key (created by make run)" --api-key)"
  token="$(printf '%s' "$token_json" | sed -E 's/.*"token":"([^"]+)".*/\1/')"
  umask 077
  cat > "$notes" <<TXT
Tessera first-run credentials (created $(date -u +%Y-%m-%dT%H:%M:%SZ))
URL:       $url
Email:     $email
Password:  $password
API token: $token
Account:   $account
TXT
fi

echo
echo "  Tessera is starting on $url"
echo
echo "  Admin sign-in (created on the first run):"
sed -n 's/^\(Email\|Password\):/    \1:/p' "$notes"
echo "  API token for the Heroku-compatible API (Authorization: Bearer ...):"
sed -n 's/^API token: /    /p' "$notes"
echo
echo "  Try it:"
echo "    curl -s $url/oauth/clients -H \"Authorization: Bearer \$(sed -n 's/^API token: //p' $notes)\""
if grep -q '^Account:' "$notes"; then
  echo "  The admin's account on the Cloudflare-compatible API (base URL $url/client/v4):"
  echo "    curl -s $url/client/v4/accounts/\$(sed -n 's/^Account: *//p' $notes)/oauth_clients \\"
  echo "      -H \"Authorization: Bearer \$(sed -n 's/^API token: //p' $notes)\""
fi
echo "  (These credentials are kept in $notes, readable only by you.)"
echo "  Stop with Ctrl-C."
echo
exec "$tessera" serve --database "$db" --listen "$listen" --issuer "$url"
