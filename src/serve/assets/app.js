// yanshou serve: choose (or drop) a .zip/.7z or a folder, upload it, poll the job, show the
// dossier. Plain script, no library, nothing fetched from elsewhere.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const body = document.body;
  const maxBytes = Number(body.dataset.maxBytes);
  const maxEntries = Number(body.dataset.maxEntries);
  const maxText = body.dataset.maxText;
  // {kind: 'archive', file, name} or {kind: 'folder', files: [{file, path}], name}
  let chosen = null;

  function size(n) {
    if (n >= 1 << 30) return (n / (1 << 30)).toFixed(1) + ' GB';
    if (n >= 1 << 20) return (n / (1 << 20)).toFixed(1) + ' MB';
    if (n >= 1 << 10) return (n / (1 << 10)).toFixed(0) + ' KB';
    return n + ' 字节';
  }

  function setState(state) {
    body.dataset.state = state;
    $('upload-view').hidden = !(state === 'choose' || state === 'failed');
    $('progress-view').hidden = !(state === 'uploading' || state === 'checking');
    $('result-view').hidden = state !== 'done';
  }

  function message(text, kind) {
    const m = $('message');
    m.textContent = text;
    m.className = 'message ' + (kind || 'error');
    m.hidden = !text;
  }

  function fail(text) {
    setState('failed');
    message(text, 'error');
  }

  function totalBytes(c) {
    if (c.kind === 'archive') return c.file.size;
    return c.files.reduce((s, f) => s + f.file.size, 0);
  }

  function choose(c) {
    chosen = c;
    $('start').disabled = !c;
    message('');
    if (!c) {
      $('chosen').textContent = '尚未选择材料';
      return;
    }
    const what = c.kind === 'archive'
      ? '压缩包 “' + c.name + '”'
      : '文件夹 “' + c.name + '”，' + c.files.length + ' 个文件';
    $('chosen').textContent = '已选择：' + what + '（' + size(totalBytes(c)) + '）';
  }

  $('pick-archive').addEventListener('change', (e) => {
    const f = e.target.files[0];
    if (f) choose({ kind: 'archive', file: f, name: f.name });
  });

  $('pick-folder').addEventListener('change', (e) => {
    const files = Array.from(e.target.files).map((f) => ({ file: f, path: f.webkitRelativePath || f.name }));
    if (files.length) choose({ kind: 'folder', files: files, name: files[0].path.split('/')[0] });
    else choose(null);
  });

  // Drag and drop: a single .zip/.7z is an archive; anything else is walked as a folder.
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const items = Array.from(e.dataTransfer.items || []);
    const entries = items.map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
    const files = e.dataTransfer.files;
    if (entries.length === 1 && entries[0].isFile && /\.(zip|7z)$/i.test(entries[0].name) && files.length === 1) {
      choose({ kind: 'archive', file: files[0], name: files[0].name });
      return;
    }
    if (!entries.length) return;
    message('正在读取拖入的文件夹……', 'info');
    Promise.all(entries.map(walkEntry)).then((lists) => {
      const all = lists.flat();
      const name = entries.length === 1 ? entries[0].name : '提交材料';
      choose(all.length ? { kind: 'folder', files: all, name: name } : null);
    }, () => fail('无法读取拖入的文件夹，请改用“选择文件夹”按钮'));
  });

  function walkEntry(entry) {
    if (entry.isFile) {
      return new Promise((resolve, reject) =>
        entry.file((f) => resolve([{ file: f, path: entry.fullPath.replace(/^\/+/, '') }]), reject));
    }
    const reader = entry.createReader();
    const children = [];
    return new Promise((resolve, reject) => {
      const more = () => reader.readEntries((batch) => {
        if (!batch.length) {
          Promise.all(children.map(walkEntry)).then((l) => resolve(l.flat()), reject);
          return;
        }
        children.push(...batch);
        more();
      }, reject);
      more();
    });
  }

  $('upload-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (!chosen) return;
    const bytes = totalBytes(chosen);
    if (bytes > maxBytes) {
      fail('所选材料共 ' + size(bytes) + '，超过单次上传上限 ' + maxText + '。请删去与验收无关的大文件后重试。');
      return;
    }
    if (chosen.kind === 'folder' && chosen.files.length > maxEntries) {
      fail('所选文件夹有 ' + chosen.files.length + ' 个文件，超过上限 ' + maxEntries + ' 个。请只选择本项目的验收材料。');
      return;
    }
    const form = new FormData();
    form.append('category', $('category').value);
    if (chosen.kind === 'archive') {
      form.append('archive', chosen.file, chosen.file.name);
    } else {
      for (const f of chosen.files) {
        form.append('path', f.path);
        form.append('file', f.file, f.file.name);
      }
    }
    upload(form, bytes);
  });

  function upload(form, bytes) {
    setState('uploading');
    message('');
    $('progress-title').textContent = '正在上传……';
    $('bar').max = 100;
    $('bar').value = 0;
    $('progress-text').textContent = '';
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/jobs');
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      const pct = Math.floor((100 * e.loaded) / e.total);
      $('bar').value = pct;
      $('progress-text').textContent = '已上传 ' + size(Math.min(e.loaded, bytes)) + ' / ' + size(bytes) + '（' + pct + '%）';
    };
    xhr.onload = () => {
      let answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
      if (xhr.status === 202 && answer && answer.id) {
        poll(answer.id);
      } else {
        fail((answer && answer.error) || ('上传未被接受（HTTP ' + xhr.status + '），请重试'));
      }
    };
    xhr.onerror = () => fail('上传失败：与本机服务的连接中断。请确认 yanshou serve 仍在运行，检查材料大小后重试。');
    xhr.send(form);
  }

  function poll(id) {
    fetch('/api/jobs/' + id, { cache: 'no-store' })
      .then((r) => r.json())
      .then((s) => {
        if (s.stage === 'done') return show(s);
        if (s.stage === 'failed' || s.error) return fail(s.error || '未能核查');
        setState('checking');
        $('progress-title').textContent = s.stage_zh + '：' + s.name;
        if (s.total > 0) {
          $('bar').max = s.total;
          $('bar').value = s.done;
          $('progress-text').textContent = '已读取 ' + s.done + ' / ' + s.total + ' 个文件';
        } else {
          $('bar').removeAttribute('value');
          $('progress-text').textContent = s.stage === 'queued' ? '前面还有其他材料在核查，请稍候' : '正在清点文件……';
        }
        setTimeout(() => poll(id), 400);
      })
      .catch(() => fail('与本机服务的连接中断，请确认 yanshou serve 仍在运行后刷新页面'));
  }

  function show(s) {
    const r = s.result;
    const t = r.tally;
    $('banner').className = 'banner ' + r.verdict;
    $('verdict').textContent = r.verdict_zh;
    // A submission that cannot be opened: its reason is the verdict's whole story.
    $('reason').hidden = !r.reason;
    $('reason').textContent = r.reason || '';
    const notices = $('notices');
    notices.textContent = '';
    (r.notices || []).forEach((n) => {
      const p = document.createElement('p');
      p.className = 'notice';
      p.textContent = '注意：' + n;
      notices.appendChild(p);
    });
    $('summary').textContent = r.reason
      ? r.project + ' · 文件 ' + t.files + ' 个'
      : r.project + ' · ' + r.category + ' ' + r.category_title +
        ' · 通过 ' + t.pass + ' 项，不通过 ' + t.fail + ' 项，需人工复核 ' + t.review + ' 项 · 文件 ' + t.files + ' 个' +
        (t.unreadable ? '（' + t.unreadable + ' 个无法读取）' : '');
    $('dl-docx').href = r.docx;
    $('dl-html').href = r.html;
    $('dl-json').href = r.json;
    const frame = $('dossier');
    frame.onload = () => {
      try {
        frame.style.height = (frame.contentDocument.documentElement.scrollHeight + 20) + 'px';
      } catch (_) { /* keep the default height */ }
      body.dataset.state = 'done';
    };
    frame.src = r.view;
    setState('shown');
    $('result-view').hidden = false;
  }

  $('again').addEventListener('click', () => {
    $('upload-form').reset();
    $('dossier').removeAttribute('src');
    choose(null);
    setState('choose');
  });

  setState('choose');
})();
