// A published course whose texts speak, for the page-weight bench: a guide of five steps, each
// with a picture (the portal's own screenshots, as trainers photograph app screens) and recordings
// in Vietnamese and H'Mông; a quiz whose questions and answers are read aloud, one of them a
// picture choice; and a practice task read aloud. Recordings are synthetic speech (espeak-ng, when
// installed; else a tone of the same length): the platform makes every recording mono AAC at
// 32 kbps, so their sizes are a recording's of that length.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { resolveMediaTool } from '../../dist/src/modules/media/ffmpeg.js';

const ffmpeg = resolveMediaTool('ffmpeg');
const hasEspeak = (() => {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** About `seconds` of speech as WebM Opus, as a browser's MediaRecorder sends it. */
function recording(text, seconds) {
  const out = join(tmpdir(), `banso-bench-voice-${process.pid}-${Math.random().toString(36).slice(2)}.webm`);
  const wav = `${out}.wav`;
  try {
    if (hasEspeak) execFileSync('espeak-ng', ['-v', 'vi', '-s', '130', '-w', wav, text]);
    const input = hasEspeak ? ['-i', wav] : ['-f', 'lavfi', '-i', `sine=frequency=220:duration=${seconds}`];
    execFileSync(ffmpeg, ['-loglevel', 'error', ...input, '-c:a', 'libopus', '-b:a', '48k', '-y', out]);
    return readFileSync(out);
  } finally {
    rmSync(out, { force: true });
    rmSync(wav, { force: true });
  }
}

async function json(res) {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export function spokenCourseMaker(base, adminToken) {
  const call = (path, token, body, method = body ? 'POST' : 'GET') =>
    fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: body && JSON.stringify(body),
    }).then(json);

  async function trainer(n) {
    const phone = `098${String(Date.now() + n).slice(-7)}`;
    const password = 'một con ngựa đau cả tàu bỏ cỏ';
    const user = await call('/api/v1/auth/register', null, {
      phone,
      password,
      displayName: `Giảng viên ${n}`,
      languages: ['vi', 'hmn'],
    });
    await call(
      `/api/v1/admin/users/${user.user.id}/roles`,
      adminToken,
      { roles: [{ role: 'trainer' }] },
      'PUT',
    );
    return (await call('/api/v1/auth/login', null, { identifier: phone, password })).accessToken;
  }

  async function upload(token, body, fileName, contentType) {
    const intent = await call('/api/v1/media/uploads', token, { fileName, contentType, bytes: body.length });
    const put = await fetch(intent.upload.url, {
      method: 'PUT',
      headers: intent.upload.headers,
      body: new Uint8Array(body),
    });
    if (!put.ok) throw new Error(`PUT: ${put.status}`);
    await call(`/api/v1/media/${intent.media.mediaId}/confirm`, token, {});
    return intent.media.mediaId;
  }

  async function ready(token, id) {
    for (let i = 0; i < 600; i++) {
      const media = await call(`/api/v1/media/${id}`, token);
      if (media.status === 'ready') return media;
      if (media.status === 'failed') throw new Error(`media ${id} failed: ${JSON.stringify(media.failure)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`media ${id} not ready`);
  }

  /** The course's id, slug and lesson ids, once published. */
  return async function spokenCourse() {
    const [author, reviewer] = [await trainer(1), await trainer(2)];
    const voice = async (text, seconds) =>
      upload(author, recording(text, seconds), 'ghi-am.webm', 'audio/webm');
    const picture = async (file) =>
      upload(
        author,
        await sharp(readFileSync(join('docs/screenshots', file)))
          .resize({ width: 1080 })
          .jpeg()
          .toBuffer(),
        file.replace('.png', '.jpg'),
        'image/jpeg',
      );
    const steps = [
      ['Mở ứng dụng VNeID', 'Chạm vào biểu tượng tấm khiên đỏ có ngôi sao vàng.', 'course.png'],
      ['Đăng nhập', 'Nhập số căn cước và mật khẩu, rồi bấm Đăng nhập.', 'recover.png'],
      ['Chọn Ví giấy tờ', 'Ở màn hình chính, chạm vào Ví giấy tờ.', 'welcome.png'],
      ['Xem căn cước điện tử', 'Chạm vào thẻ căn cước để xem thông tin của bạn.', 'my-learning.png'],
      ['Đưa mã QR khi cần', 'Khi làm thủ tục, mở mã QR để cán bộ quét.', 'verify.png'],
    ];
    const ids = {};
    const pending = [];
    const track = (p) => (pending.push(p), p);
    const stepsContent = await Promise.all(
      steps.map(async ([title, body, shot]) => {
        const [vi, hmn, pic] = await Promise.all([
          track(voice(`${title}. ${body}`, 6)),
          track(voice(`${title}. ${body}`, 6)),
          track(picture(shot)),
        ]);
        return {
          title: { vi: title, hmn: `${title} (Hmoob)` },
          body: { vi: body, hmn: `${body} (Hmoob)` },
          voice: { vi, hmn },
          picture: { mediaId: pic, alt: { vi: `Màn hình: ${title}`, hmn: `Lub vijtsam: ${title}` } },
        };
      }),
    );
    const question = async (prompt, options) => ({
      type: 'single',
      prompt: { vi: prompt },
      voice: { vi: await track(voice(prompt, 4)) },
      options: await Promise.all(
        options.map(async ([text, correct]) => ({
          text: { vi: text },
          correct,
          voice: { vi: await track(voice(text, 2)) },
        })),
      ),
    });
    const questions = [
      await question('Ai được biết mã OTP của bạn?', [
        ['Không ai cả', true],
        ['Nhân viên ngân hàng', false],
        ['Người thân qua Zalo', false],
      ]),
      await question('Mật khẩu VNeID nên là gì?', [
        ['Khó đoán, chỉ mình biết', true],
        ['Ngày sinh của mình', false],
      ]),
      {
        type: 'picture_choice',
        prompt: { vi: 'Màn hình nào là trang đăng nhập?' },
        voice: { vi: await track(voice('Màn hình nào là trang đăng nhập?', 3)) },
        options: await Promise.all(
          [
            ['recover.png', true],
            ['welcome.png', false],
            ['my-learning.png', false],
          ].map(async ([shot, correct]) => ({
            picture: { mediaId: await track(picture(shot)), alt: { vi: `Màn hình ${shot}` } },
            correct,
          })),
        ),
      },
    ];
    await Promise.all(pending.map(async (p) => ready(author, await p)));

    const groups = await call('/api/v1/learner-groups', null);
    const { courseId } = await call('/api/v1/authoring/courses', author, {
      slug: `vneid-co-tieng-${Date.now().toString(36)}`,
      topic: 'vneid',
      learnerGroupIds: [groups.find((g) => g.code === 'elderly').id],
      title: { vi: 'Dùng VNeID, có tiếng đọc', hmn: 'Siv VNeID, muaj suab nyeem' },
      summary: { vi: 'Năm bước xem căn cước điện tử trên điện thoại.' },
    });
    const summaryVoice = await voice('Năm bước xem căn cước điện tử trên điện thoại.', 4);
    await ready(author, summaryVoice);
    await call(
      `/api/v1/authoring/courses/${courseId}/draft`,
      author,
      { summaryVoice: { vi: summaryVoice } },
      'PATCH',
    );
    await call(`/api/v1/authoring/courses/${courseId}/draft/lessons`, author, {
      kind: 'guide',
      title: { vi: 'Xem căn cước điện tử', hmn: 'Saib daim npav' },
      summary: { vi: 'Làm theo từng bước.' },
      summaryVoice: { vi: summaryVoice },
      content: { steps: stepsContent },
    });
    await call(`/api/v1/authoring/courses/${courseId}/draft/lessons`, author, {
      kind: 'quiz',
      title: { vi: 'Kiểm tra: dùng VNeID an toàn' },
      content: { passMark: 70, questions },
    });
    const task = 'Mở căn cước điện tử trên điện thoại của bạn cho Người bản số xem.';
    const taskVoice = await voice(task, 5);
    await ready(author, taskVoice);
    await call(`/api/v1/authoring/courses/${courseId}/draft/lessons`, author, {
      kind: 'practice',
      title: { vi: 'Thực hành: xem căn cước điện tử' },
      content: {
        task: { vi: task },
        howTo: { vi: 'Mang theo điện thoại đã cài VNeID và nhớ mật khẩu.' },
        digitalTask: 'vneid-level-2',
        taskVoice: { vi: taskVoice },
      },
    });
    await call(`/api/v1/authoring/courses/${courseId}/draft/submit`, author, {});
    await call(`/api/v1/authoring/courses/${courseId}/review/publish`, reviewer, {});
    const detail = await call(`/api/v1/courses/${courseId}`, null);
    for (const l of detail.lessons) ids[l.kind] = l.id;
    return { id: courseId, slug: detail.slug, lessons: ids, espeak: hasEspeak };
  };
}
