// SPDX-License-Identifier: GPL-2.0-only
/*
 * VFIO migration (v2) of an mtty device
 *
 * The device does no DMA and has no timers, so the quiescent states
 * (RUNNING_P2P, STOP) need no work: only the user's register accesses
 * change its state. What this file does is move the state over a
 * migration file in the format of mtty_stream.c:
 * - RUNNING -> PRE_COPY opens a saving file holding just the header;
 * - PRE_COPY_P2P -> STOP_COPY appends the state to that file, and
 *   STOP -> STOP_COPY opens a file with the whole stream;
 * - STOP -> RESUMING opens a resuming file, and RESUMING -> STOP loads
 *   what was written, or fails with the device unchanged.
 *
 * A migration file can outlive its device (the user may keep the fd
 * after closing the device), so a file never looks at the device: the
 * state machine pushes what the file needs to know into it.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mtty.h"
#include "mtty_compat.h"
#include "mtty_stream.h"

/**
 * struct mtty_mig_file - one data transfer session
 * @filp: the file the user reads or writes
 * @lock: protects every field below
 * @disabled: the session is over; the file only waits for its last close
 * @precopy: saving, and the device is in PRE_COPY or PRE_COPY_P2P
 * @complete: saving, and @buf holds the whole stream
 * @pos: saving: bytes the user has read so far
 * @filled: saving: bytes of @buf ready to read; resuming: bytes received
 * @size: size of @buf, the size of a whole stream
 * @nr_ports: port count of the device
 * @buf: the stream
 */
struct mtty_mig_file {
	struct file *filp;
	struct mutex lock;	/* see @lock above */
	bool disabled;
	bool precopy;
	bool complete;
	size_t pos;
	size_t filled;
	size_t size;
	unsigned int nr_ports;
	u8 buf[];
};

/* ------------------------------------------------------------------ */
/* Migration files                                                      */

static int mtty_mig_file_release(struct inode *inode, struct file *filp)
{
	struct mtty_mig_file *migf = filp->private_data;

	mutex_destroy(&migf->lock);
	kfree(migf);
	return 0;
}

static ssize_t mtty_mig_save_read(struct file *filp, char __user *buf,
				  size_t len, loff_t *ppos)
{
	struct mtty_mig_file *migf = filp->private_data;
	ssize_t ret;

	mutex_lock(&migf->lock);
	if (migf->disabled) {
		ret = -ENODEV;
	} else if (migf->pos == migf->filled) {
		/* PRE_COPY's end of data is temporary: ENOMSG, not EOF. */
		ret = migf->complete ? 0 : -ENOMSG;
	} else {
		len = min(len, migf->filled - migf->pos);
		if (copy_to_user(buf, migf->buf + migf->pos, len)) {
			ret = -EFAULT;
		} else {
			migf->pos += len;
			ret = len;
		}
	}
	mutex_unlock(&migf->lock);
	return ret;
}

static long mtty_mig_precopy_ioctl(struct file *filp, unsigned int cmd,
				   unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_precopy_info, dirty_bytes);
	struct mtty_mig_file *migf = filp->private_data;
	struct vfio_precopy_info info;
	int ret = 0;

	if (cmd != VFIO_MIG_GET_PRECOPY_INFO)
		return -ENOTTY;
	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	mutex_lock(&migf->lock);
	if (migf->disabled) {
		ret = -ENODEV;
	} else if (!migf->precopy) {
		ret = -EINVAL;	/* only valid in the PRE_COPY states */
	} else {
		info.flags = 0;
		info.initial_bytes = migf->filled - migf->pos;
		/* The state itself is sent in STOP_COPY: nothing dirties. */
		info.dirty_bytes = 0;
	}
	mutex_unlock(&migf->lock);
	if (ret)
		return ret;

	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static const struct file_operations mtty_mig_save_fops = {
	.owner = THIS_MODULE,
	.read = mtty_mig_save_read,
	.unlocked_ioctl = mtty_mig_precopy_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = mtty_mig_file_release,
};

static ssize_t mtty_mig_resume_write(struct file *filp,
				     const char __user *buf, size_t len,
				     loff_t *ppos)
{
	struct mtty_mig_file *migf = filp->private_data;
	ssize_t ret;

	mutex_lock(&migf->lock);
	if (migf->disabled) {
		ret = -ENODEV;
	} else if (len > migf->size - migf->filled) {
		ret = -EFBIG;	/* longer than any valid stream */
	} else if (copy_from_user(migf->buf + migf->filled, buf, len)) {
		ret = -EFAULT;
	} else {
		/* Refuse a foreign stream as soon as its header is in. */
		ret = mtty_stream_check_header(migf->buf, migf->filled + len,
					       migf->nr_ports);
		if (!ret) {
			migf->filled += len;
			ret = len;
		}
	}
	mutex_unlock(&migf->lock);
	return ret;
}

static const struct file_operations mtty_mig_resume_fops = {
	.owner = THIS_MODULE,
	.write = mtty_mig_resume_write,
	.release = mtty_mig_file_release,
};

static struct mtty_mig_file *mtty_mig_file_new(struct mtty_dev *mtty,
					       bool saving)
{
	unsigned int nr_ports = mtty->nr_ports;
	size_t size = MTTY_MIG_STREAM_SIZE(nr_ports);
	struct mtty_mig_file *migf;
	struct file *filp;

	migf = kzalloc(struct_size(migf, buf, size), GFP_KERNEL_ACCOUNT);
	if (!migf)
		return ERR_PTR(-ENOMEM);
	mutex_init(&migf->lock);
	migf->size = size;
	migf->nr_ports = nr_ports;

	filp = anon_inode_getfile("mtty_mig",
				  saving ? &mtty_mig_save_fops :
					   &mtty_mig_resume_fops,
				  migf, saving ? O_RDONLY : O_WRONLY);
	if (IS_ERR(filp)) {
		mutex_destroy(&migf->lock);
		kfree(migf);
		return ERR_CAST(filp);
	}
	stream_open(filp->f_inode, filp);
	migf->filp = filp;
	return migf;
}

/* End a session: the user's fd stays open but fails from now on. */
static void mtty_mig_file_end(struct mtty_mig_file **slot)
{
	struct mtty_mig_file *migf = *slot;

	if (!migf)
		return;
	mutex_lock(&migf->lock);
	migf->disabled = true;
	mutex_unlock(&migf->lock);
	*slot = NULL;
	fput(migf->filp);
}

/* ------------------------------------------------------------------ */
/* State machine                                                        */

static void mtty_mig_end_sessions_locked(struct mtty_mig *mig)
{
	lockdep_assert_held(&mig->lock);
	mtty_mig_file_end(&mig->saving);
	mtty_mig_file_end(&mig->resuming);
}

/* Start a saving session; with @stopped the whole state goes in now. */
static struct file *mtty_mig_save_start_locked(struct mtty_dev *mtty,
					       bool stopped)
{
	struct mtty_mig *mig = &mtty->mig;
	struct mtty_mig_file *migf;

	lockdep_assert_held(&mig->lock);

	migf = mtty_mig_file_new(mtty, true);
	if (IS_ERR(migf))
		return ERR_CAST(migf);

	mtty_stream_save_header(migf->buf, migf->nr_ports);
	if (stopped) {
		mtty_stream_save_body(&mtty->cfg, &mtty->uart, migf->buf);
		migf->filled = migf->size;
		migf->complete = true;
	} else {
		migf->filled = sizeof(struct mtty_mig_header);
		migf->precopy = true;
	}

	/* The core installs the returned reference in an fd; keep one. */
	mig->saving = migf;
	get_file(migf->filp);
	return migf->filp;
}

/* PRE_COPY_P2P -> STOP_COPY: the rest of the stream joins the header. */
static void mtty_mig_save_finish_locked(struct mtty_dev *mtty)
{
	struct mtty_mig_file *migf = mtty->mig.saving;

	lockdep_assert_held(&mtty->mig.lock);

	mutex_lock(&migf->lock);
	mtty_stream_save_body(&mtty->cfg, &mtty->uart, migf->buf);
	migf->filled = migf->size;
	migf->precopy = false;
	migf->complete = true;
	mutex_unlock(&migf->lock);
}

static struct file *mtty_mig_resume_start_locked(struct mtty_dev *mtty)
{
	struct mtty_mig *mig = &mtty->mig;
	struct mtty_mig_file *migf;

	lockdep_assert_held(&mig->lock);

	migf = mtty_mig_file_new(mtty, false);
	if (IS_ERR(migf))
		return ERR_CAST(migf);
	mig->resuming = migf;
	get_file(migf->filp);
	return migf->filp;
}

/* RESUMING -> STOP: load the stream, or fail and change nothing. */
static int mtty_mig_resume_finish_locked(struct mtty_dev *mtty)
{
	struct mtty_mig *mig = &mtty->mig;
	struct mtty_mig_file *migf = mig->resuming;
	int ret;

	lockdep_assert_held(&mig->lock);

	mutex_lock(&migf->lock);
	ret = mtty_stream_load(&mtty->cfg, &mtty->uart, migf->buf,
			       migf->filled);
	mutex_unlock(&migf->lock);
	if (ret)
		return ret;
	mtty_mig_file_end(&mig->resuming);
	return 0;
}

static void mtty_mig_set_precopy_locked(struct mtty_mig *mig, bool precopy)
{
	lockdep_assert_held(&mig->lock);
	if (!mig->saving)
		return;
	mutex_lock(&mig->saving->lock);
	mig->saving->precopy = precopy;
	mutex_unlock(&mig->saving->lock);
}

/*
 * A plain integer, because kernels before 6.2 do not have these states
 * in the enum (mtty_compat.h names them).
 */
static bool mtty_mig_is_precopy(u32 state)
{
	return state == VFIO_DEVICE_STATE_PRE_COPY ||
	       state == VFIO_DEVICE_STATE_PRE_COPY_P2P;
}

/* Take one arc of the FSM; vfio_mig_get_next_state() picked it. */
static struct file *mtty_mig_step_locked(struct mtty_dev *mtty,
					 enum vfio_device_mig_state next)
{
	struct mtty_mig *mig = &mtty->mig;
	enum vfio_device_mig_state cur = mig->state;
	int ret;

	lockdep_assert_held(&mig->lock);

	if (mtty_mig_is_precopy(next)) {
		if (mig->saving) {
			/* PRE_COPY <-> PRE_COPY_P2P: the session goes on. */
			mtty_mig_set_precopy_locked(mig, true);
			return NULL;
		}
		return mtty_mig_save_start_locked(mtty, false);
	}

	switch (next) {
	case VFIO_DEVICE_STATE_RUNNING:
	case VFIO_DEVICE_STATE_RUNNING_P2P:
		/* From PRE_COPY(_P2P) this ends the session; else no-op. */
		mtty_mig_end_sessions_locked(mig);
		return NULL;
	case VFIO_DEVICE_STATE_STOP:
		if (cur == VFIO_DEVICE_STATE_RESUMING) {
			ret = mtty_mig_resume_finish_locked(mtty);
			if (ret)
				return ERR_PTR(ret);
		}
		mtty_mig_end_sessions_locked(mig);
		return NULL;
	case VFIO_DEVICE_STATE_STOP_COPY:
		if (cur == VFIO_DEVICE_STATE_STOP)
			return mtty_mig_save_start_locked(mtty, true);
		mtty_mig_save_finish_locked(mtty);	/* from PRE_COPY_P2P */
		return NULL;
	case VFIO_DEVICE_STATE_RESUMING:
		return mtty_mig_resume_start_locked(mtty);
	default:
		return ERR_PTR(-EINVAL);
	}
}

/**
 * mtty_mig_set_state() - VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, set
 * @vdev: the VFIO device
 * @new: the state the user asks for
 *
 * Called by the core with no lock held; takes the device's mig lock.
 * Walks the arcs vfio_mig_get_next_state() chooses. A failed arc leaves
 * the device in the last state reached, as the uAPI allows.
 *
 * Return: NULL, the new session's file, or an ERR_PTR.
 */
static struct file *mtty_mig_set_state(struct vfio_device *vdev,
				       enum vfio_device_mig_state new)
{
	struct mtty_dev *mtty = mtty_from_vdev(vdev);
	struct mtty_mig *mig = &mtty->mig;
	struct file *filp = NULL;

	mutex_lock(&mig->lock);
	while (mig->state != new) {
		enum vfio_device_mig_state next;
		int ret;

		ret = vfio_mig_get_next_state(vdev, mig->state, new, &next);
		if (ret) {
			filp = ERR_PTR(ret);
			break;
		}
		filp = mtty_mig_step_locked(mtty, next);
		if (IS_ERR(filp))
			break;
		WRITE_ONCE(mig->state, next);
		/* Arcs that open a session end where the user asked. */
		if (filp && next != new) {
			fput(filp);
			filp = ERR_PTR(-EINVAL);
			break;
		}
	}
	mutex_unlock(&mig->lock);
	return filp;
}

/**
 * mtty_mig_get_state() - VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, get
 * @vdev: the VFIO device
 * @state: where to put the current state
 *
 * Called by the core with no lock held; takes the device's mig lock.
 *
 * Return: 0.
 */
static int mtty_mig_get_state(struct vfio_device *vdev,
			      enum vfio_device_mig_state *state)
{
	struct mtty_mig *mig = &mtty_from_vdev(vdev)->mig;

	mutex_lock(&mig->lock);
	*state = mig->state;
	mutex_unlock(&mig->lock);
	return 0;
}

/**
 * mtty_mig_get_data_size() - VFIO_DEVICE_FEATURE_MIG_DATA_SIZE
 * @vdev: the VFIO device
 * @len: where to put the length of a STOP_COPY stream
 *
 * Called by the core with no lock held; the size is fixed by the type.
 *
 * Return: 0.
 */
static int __maybe_unused mtty_mig_get_data_size(struct vfio_device *vdev,
						 unsigned long *len)
{
	*len = MTTY_MIG_STREAM_SIZE(mtty_from_vdev(vdev)->nr_ports);
	return 0;
}

const struct vfio_migration_ops mtty_mig_ops = {
	.migration_set_state = mtty_mig_set_state,
	.migration_get_state = mtty_mig_get_state,
	MTTY_COMPAT_MIG_DATA_SIZE_OP(mtty_mig_get_data_size)
};

/*
 * Dirty page tracking. The device never writes guest memory, so no report
 * has a dirty page in it. What is kept is whether tracking is on: a report
 * outside a start/stop pair is refused, as a device that really tracks
 * would refuse it. A reset leaves tracking on (a VMM that resets its guest
 * in pre-copy still needs it); the last close stops it.
 */
static void mtty_dirty_set(struct vfio_device *vdev, bool on)
{
	struct mtty_mig *mig = &mtty_from_vdev(vdev)->mig;

	mutex_lock(&mig->lock);
	mig->dirty_tracking = on;
	mutex_unlock(&mig->lock);
}

/* Any page size will do: there is never a dirty page to round. */
static int mtty_log_start(struct vfio_device *vdev,
			  struct rb_root_cached *ranges, u32 nnodes,
			  u64 *page_size)
{
	mtty_dirty_set(vdev, true);
	return 0;
}

static int mtty_log_stop(struct vfio_device *vdev)
{
	mtty_dirty_set(vdev, false);
	return 0;
}

static int mtty_log_read_and_clear(struct vfio_device *vdev,
				   unsigned long iova, unsigned long length,
				   struct iova_bitmap *dirty)
{
	struct mtty_mig *mig = &mtty_from_vdev(vdev)->mig;
	bool on;

	mutex_lock(&mig->lock);
	on = mig->dirty_tracking;
	mutex_unlock(&mig->lock);
	return on ? 0 : -EINVAL;
}

const struct vfio_log_ops mtty_log_ops = {
	.log_start = mtty_log_start,
	.log_stop = mtty_log_stop,
	.log_read_and_clear = mtty_log_read_and_clear,
};

/* ------------------------------------------------------------------ */
/* Lifecycle                                                            */

/**
 * mtty_mig_init() - set up the device's migration state: RUNNING
 * @mtty: the device, from .init
 */
void mtty_mig_init(struct mtty_dev *mtty)
{
	struct mtty_mig *mig = &mtty->mig;

	mutex_init(&mig->lock);
	mig->state = VFIO_DEVICE_STATE_RUNNING;
	mig->saving = NULL;
	mig->resuming = NULL;
	mig->dirty_tracking = false;
}

/**
 * mtty_mig_release() - end every session and return to RUNNING
 * @mtty: the device
 *
 * Called from close_device (with the device set lock held) and for
 * VFIO_DEVICE_RESET. The user's migration fds stay open but fail with
 * -ENODEV. Takes the mig lock unless the device is already RUNNING.
 */
void mtty_mig_release(struct mtty_dev *mtty)
{
	struct mtty_mig *mig = &mtty->mig;

	/*
	 * RUNNING holds no session: every arc into it ends them. Without
	 * the lock, a state change this misses is one that races with the
	 * release (a reset while another fd migrates), and so may come after
	 * it. At the last close no fd is left to change the state.
	 */
	if (READ_ONCE(mig->state) == VFIO_DEVICE_STATE_RUNNING)
		return;

	mutex_lock(&mig->lock);
	mtty_mig_end_sessions_locked(mig);
	WRITE_ONCE(mig->state, VFIO_DEVICE_STATE_RUNNING);
	mutex_unlock(&mig->lock);
}

/**
 * mtty_mig_destroy() - release what mtty_mig_init() set up
 * @mtty: the device, from .release, with no session left
 */
void mtty_mig_destroy(struct mtty_dev *mtty)
{
	mutex_destroy(&mtty->mig.lock);
}
